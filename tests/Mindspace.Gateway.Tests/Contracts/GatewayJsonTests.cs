using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mindspace.Gateway.CheckIns;
using Mindspace.Gateway.Hosting;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.CheckIns;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Mindspace.Gateway.Tests.Contracts;

/// <summary>
/// The generated JSON metadata of the hot contracts must not change the wire: what the gateway's
/// HTTP options write and read is compared with what ASP.NET Core's default options (reflection only,
/// which the gateway used before) write and read.
/// </summary>
public sealed class GatewayJsonTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    /// <summary>The wire format before the generated metadata: ASP.NET Core's defaults (web defaults, relaxed escaping, reflection).</summary>
    private static readonly JsonSerializerOptions Before = new HttpJsonOptions().SerializerOptions;

    private static readonly DateTimeOffset At = new(2025, 3, 10, 21, 45, 12, 345, TimeSpan.Zero);

    private static readonly EntryView Plain = new(Guid.CreateVersion7(At), "Went for a walk.", null, [], At, null, new DateOnly(2025, 3, 10), 0);

    /// <summary>Text that exercises escaping: quotes, a backslash, line breaks, HTML, accents, emoji, a joiner.</summary>
    private static readonly EntryView Awkward = new(
        Guid.CreateVersion7(At.AddMinutes(1)),
        "\"Quoted\" \\ back\nslash\ttab <b>&amp;</b> 'café' — naïve 🌧️👩🏽‍💻 \u2028 ünïcödé",
        5,
        ["rain", "été", "<tag>"],
        At.AddMinutes(1),
        At.AddDays(2).AddTicks(1234),
        new DateOnly(2025, 3, 11),
        -330);

    private JsonSerializerOptions Http => fixture.Host.Services.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;

    public static TheoryData<Type> HotContracts => new()
    {
        typeof(EntryListResponse), typeof(EntryView), typeof(CreateEntryRequest), typeof(UpdateEntryRequest),
        typeof(MoodListResponse), typeof(MoodView), typeof(RecordMoodRequest),
    };

    [Theory]
    [MemberData(nameof(HotContracts))]
    public void The_hot_contracts_are_served_by_the_generated_metadata(Type type)
        => Assert.Same(GatewayJsonContext.Default, Http.GetTypeInfo(type).OriginatingResolver);

    [Fact]
    public void Before_is_the_reflection_resolver_alone()
        => Assert.IsType<DefaultJsonTypeInfoResolver>(Before.GetTypeInfo(typeof(EntryListResponse)).OriginatingResolver);

    [Fact]
    public async Task Entry_answers_are_written_byte_for_byte_as_before()
    {
        await AssertSameBytesAsync(Plain);
        await AssertSameBytesAsync(Awkward);
        await AssertSameBytesAsync(new EntryListResponse([Awkward, Plain], "next-page-cursor"));
        await AssertSameBytesAsync(new EntryListResponse([Plain], null));
        await AssertSameBytesAsync(new EntryListResponse([], null));
    }

    [Fact]
    public async Task Mood_answers_are_written_byte_for_byte_as_before()
    {
        var withNote = new MoodView(Guid.CreateVersion7(At), 2, ["work", "ça va"], "Long \"day\"\n<3 😮‍💨", At, new DateOnly(2025, 3, 11), 345);
        var bare = new MoodView(Guid.CreateVersion7(At), 4, [], null, At, null, null);
        await AssertSameBytesAsync(withNote);
        await AssertSameBytesAsync(new MoodListResponse([bare, withNote], true));
        await AssertSameBytesAsync(new MoodListResponse([], false));
    }

    public static TheoryData<string> CreateBodies => new()
    {
        """{"text":"Went for a walk.","mood":4,"tags":["Outdoors","walk"]}""",
        """{"TEXT":"Case does not matter","Mood":"3"}""",
        """{"text":null,"tags":[null," "],"unknown":{"nested":[1,2]}}""",
        """{}""",
    };

    [Theory]
    [MemberData(nameof(CreateBodies))]
    public void Entry_requests_are_read_as_before(string body)
    {
        var before = JsonSerializer.Deserialize<CreateEntryRequest>(body, Before)!;
        var now = JsonSerializer.Deserialize<CreateEntryRequest>(body, Http)!;
        Assert.Equal(JsonSerializer.Serialize(before, Before), JsonSerializer.Serialize(now, Before));
    }

    public static TheoryData<string> PatchBodies => new()
    {
        """{"text":"Rewritten","mood":null,"tags":["a","B"]}""",
        """{"mood":2}""",
        """{"tags":null}""",
        """{"text":null,"tags":[]}""",
        """{}""",
    };

    [Theory]
    [MemberData(nameof(PatchBodies))]
    public void Patches_tell_absent_from_null_as_before(string body)
    {
        var before = JsonSerializer.Deserialize<UpdateEntryRequest>(body, Before)!;
        var now = JsonSerializer.Deserialize<UpdateEntryRequest>(body, Http)!;
        Assert.Equal(Describe(before), Describe(now));

        static string Describe(UpdateEntryRequest patch) => string.Join(
            " | ",
            Member(patch.Text, t => t ?? "null"),
            Member(patch.Mood, m => m?.ToString() ?? "null"),
            Member(patch.Tags, t => t is null ? "null" : "[" + string.Join(",", t) + "]"));

        static string Member<T>(Optional<T> member, Func<T, string> show) => member.IsSet ? show(member.Value) : "absent";
    }

    [Fact]
    public void Mood_requests_are_read_as_before()
    {
        const string body = """{"score":"4","tags":["Calm"],"note":" quiet evening ","extra":true}""";
        Assert.Equal(
            JsonSerializer.Serialize(JsonSerializer.Deserialize<RecordMoodRequest>(body, Before), Before),
            JsonSerializer.Serialize(JsonSerializer.Deserialize<RecordMoodRequest>(body, Http), Before));
    }

    /// <summary>Both the synchronous writer and the streaming one the HTTP results use.</summary>
    private async Task AssertSameBytesAsync<T>(T value)
    {
        var expected = JsonSerializer.SerializeToUtf8Bytes(value, Before);
        var http = (JsonTypeInfo<T>)Http.GetTypeInfo(typeof(T));
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(value, http)));

        using var stream = new MemoryStream();
        await JsonSerializer.SerializeAsync(stream, value, http);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(stream.ToArray()));
    }
}
