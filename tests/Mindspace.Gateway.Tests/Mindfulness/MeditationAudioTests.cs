using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Mindfulness;

/// <summary>The meditation catalogue and its generated audio, served with HTTP range requests.</summary>
public sealed class MeditationAudioTests(MindfulnessHost fixture) : IClassFixture<MindfulnessHost>
{
    private const string Audio = "/api/v1/mindfulness/meditations/one-minute-pause/audio";

    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task The_catalogue_lists_meditations_with_credit_licence_and_audio_address_without_signing_in()
    {
        var list = await Host.Client.GetJsonAsync("/api/v1/mindfulness/meditations");

        Assert.Equal(["one-minute-pause", "breathing-space", "body-rest"], list.EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        foreach (var meditation in list.EnumerateArray())
        {
            Assert.Equal("CC0-1.0", meditation.GetProperty("licence").GetString());
            Assert.False(string.IsNullOrWhiteSpace(meditation.GetProperty("credit").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(meditation.GetProperty("title").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(meditation.GetProperty("description").GetString()));
            Assert.True(meditation.GetProperty("durationSeconds").GetInt32() > 0);
            Assert.Equal($"/api/v1/mindfulness/meditations/{meditation.GetProperty("id").GetString()}/audio", meditation.GetProperty("audioUrl").GetString());
        }

        var one = await Host.Client.GetJsonAsync("/api/v1/mindfulness/meditations/breathing-space");
        Assert.Equal(180, one.GetProperty("durationSeconds").GetInt32());
        await (await Host.Client.GetAsync("/api/v1/mindfulness/meditations/nope")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await Host.Client.GetAsync("/api/v1/mindfulness/meditations/nope/audio")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_whole_file_is_a_wav_as_long_as_the_meditation_with_accept_ranges_and_an_etag()
    {
        var response = await Host.Client.GetAsync(Audio);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["bytes"], response.Headers.AcceptRanges);
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Equal("RIFF", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal("WAVE", Encoding.ASCII.GetString(bytes, 8, 4));
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(22))); // mono
        var sampleRate = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24));
        var dataBytes = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(40));
        Assert.Equal(60 * sampleRate * 2, dataBytes); // 60 s of 16-bit samples
        Assert.Equal(44 + dataBytes, bytes.Length);
        Assert.Contains(bytes.Skip(44), b => b != 0); // not silence

        var again = await Host.Client.GetAsync(Audio);
        Assert.Equal(response.Headers.ETag, again.Headers.ETag);
        Assert.Equal(bytes, await again.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("bytes=0-99", 0, 100)]
    [InlineData("bytes=44-44", 44, 1)]
    [InlineData("bytes=1000-", 1000, -1)]
    [InlineData("bytes=-500", -500, 500)]
    public async Task A_satisfiable_range_is_206_with_exactly_those_bytes(string range, int start, int length)
    {
        var full = await (await Host.Client.GetAsync(Audio)).Content.ReadAsByteArrayAsync();
        var from = start < 0 ? full.Length + start : start;
        var count = length < 0 ? full.Length - from : length;

        using var request = new HttpRequestMessage(HttpMethod.Get, Audio);
        request.Headers.Range = RangeHeaderValue.Parse(range);
        var response = await Host.Client.SendAsync(request);
        var part = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"bytes {from}-{from + count - 1}/{full.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(count, response.Content.Headers.ContentLength);
        Assert.Equal(full.AsSpan(from, count).ToArray(), part);
    }

    [Fact]
    public async Task A_range_past_the_end_is_416_with_the_length()
    {
        var full = await (await Host.Client.GetAsync(Audio)).Content.ReadAsByteArrayAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, Audio);
        request.Headers.Range = new RangeHeaderValue(full.Length, null);

        var response = await Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal($"bytes */{full.Length}", response.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task If_range_with_the_current_etag_gives_the_range_and_with_another_the_whole_file()
    {
        var first = await Host.Client.GetAsync(Audio);
        var full = await first.Content.ReadAsByteArrayAsync();
        var etag = first.Headers.ETag!;

        using var current = new HttpRequestMessage(HttpMethod.Get, Audio);
        current.Headers.Range = new RangeHeaderValue(10, 19);
        current.Headers.IfRange = new RangeConditionHeaderValue(etag);
        var partial = await Host.Client.SendAsync(current);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(full.AsSpan(10, 10).ToArray(), await partial.Content.ReadAsByteArrayAsync());

        using var stale = new HttpRequestMessage(HttpMethod.Get, Audio);
        stale.Headers.Range = new RangeHeaderValue(10, 19);
        stale.Headers.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue("\"an-older-version\""));
        var whole = await Host.Client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(full, await whole.Content.ReadAsByteArrayAsync());

        using var cached = new HttpRequestMessage(HttpMethod.Get, Audio);
        cached.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await Host.Client.SendAsync(cached)).StatusCode);
    }

    [Fact]
    public async Task Each_meditation_has_its_own_audio_and_etag()
    {
        var pause = await Host.Client.GetAsync(Audio);
        var breathing = await Host.Client.GetAsync("/api/v1/mindfulness/meditations/breathing-space/audio");
        var bytes = await breathing.Content.ReadAsByteArrayAsync();

        Assert.NotEqual(pause.Headers.ETag, breathing.Headers.ETag);
        Assert.Equal(44 + (180 * 8000 * 2), bytes.Length);
    }

    [Fact]
    public async Task Yoga_poses_have_steps_cautions_and_a_sanskrit_name()
    {
        var poses = await Host.Client.GetJsonAsync("/api/v1/mindfulness/yoga/poses");

        Assert.True(poses.GetArrayLength() >= 5);
        foreach (var pose in poses.EnumerateArray())
        {
            Assert.False(string.IsNullOrWhiteSpace(pose.GetProperty("name").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(pose.GetProperty("sanskritName").GetString()));
            Assert.True(pose.GetProperty("steps").GetArrayLength() >= 2);
            Assert.True(pose.GetProperty("cautions").GetArrayLength() >= 1);
            Assert.True(pose.GetProperty("durationSeconds").GetInt32() > 0);
        }

        Assert.Equal("Balasana", (await Host.Client.GetJsonAsync("/api/v1/mindfulness/yoga/poses/childs-pose")).GetProperty("sanskritName").GetString());
        await (await Host.Client.GetAsync("/api/v1/mindfulness/yoga/poses/headstand")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_content_never_pushes_or_shames()
    {
        var text = string.Join("\n", await Task.WhenAll(
            Host.Client.GetStringAsync("/api/v1/mindfulness/meditations"),
            Host.Client.GetStringAsync("/api/v1/mindfulness/yoga/poses"),
            Host.Client.GetStringAsync("/api/v1/mindfulness/challenges")));
        foreach (var phrase in new[] { "must", "should", "failed", "missed", "streak", "no excuses", "push through", "lazy" })
        {
            Assert.False(Regex.IsMatch(text, $@"\b{phrase}\b", RegexOptions.IgnoreCase), $"The content says '{phrase}'.");
        }
    }
}
