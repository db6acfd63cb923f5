using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Mindspace.Gateway.CheckIns;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.CheckIns;
using NodaTime;

namespace Mindspace.Gateway.Tests.CheckIns;

/// <summary>The pure parts: field rules, ids as keys, cursors and time ranges.</summary>
public sealed class CheckInRulesTests
{
    [Fact]
    public void Text_length_counts_what_a_reader_sees_as_characters()
    {
        var emoji = string.Concat(Enumerable.Repeat("👩🏽‍💻", CheckInRules.MaxTextLength / 2)); // 7 UTF-16 units each
        Assert.Null(CheckInRules.CheckText(string.Concat(Enumerable.Repeat("😊", CheckInRules.MaxTextLength)), out _));
        Assert.Null(CheckInRules.CheckText(new string('a', CheckInRules.MaxTextLength), out _));
        Assert.NotNull(CheckInRules.CheckText(new string('a', CheckInRules.MaxTextLength + 1), out _));
        Assert.Equal(CheckInRules.MaxTextLength / 2, CheckInRules.TextLength(emoji));
        Assert.Null(CheckInRules.CheckText(emoji, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("calm evening walk")]
    [InlineData("e\u0301te\u0301")] // combining accents
    [InlineData("👩🏽‍💻 and 👨‍👩‍👧‍👦")] // skin tone and zero-width-joiner sequences
    [InlineData("🇳🇱🇯🇵")] // flags: regional indicator pairs
    [InlineData("line\r\nbreak")] // CR LF is one element
    [InlineData("한국어 각")] // precomposed and conjoining Hangul
    [InlineData("नमस्ते")] // Devanagari with virama
    public void Text_length_is_the_number_of_text_elements_StringInfo_counts(string text)
    {
        Assert.Equal(new StringInfo(text).LengthInTextElements, CheckInRules.TextLength(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \n\t ")]
    [InlineData("bad\u0000byte")]
    public void Text_must_be_present_and_clean(string? text)
    {
        Assert.NotNull(CheckInRules.CheckText(text, out _));
    }

    [Fact]
    public void Text_with_a_lone_surrogate_is_refused()
    {
        Assert.NotNull(CheckInRules.CheckText("broken " + '\ud83d' + " surrogate", out _));
    }

    [Fact]
    public void Text_is_trimmed_and_keeps_its_line_breaks()
    {
        Assert.Null(CheckInRules.CheckText("  Line one\nLine two\t ", out var text));
        Assert.Equal("Line one\nLine two", text);
    }

    [Fact]
    public void Tags_are_trimmed_lower_cased_and_deduplicated_in_order()
    {
        Assert.Null(CheckInRules.CheckTags([" Work ", "SLEEP", "work", "Self Care"], out var tags));
        Assert.Equal(["work", "sleep", "self care"], tags);
    }

    [Fact]
    public void Tags_are_limited_in_number_and_length_after_deduplication()
    {
        Assert.Null(CheckInRules.CheckTags([.. Enumerable.Range(0, 10).Select(i => $"t{i}"), "T0", "t1"], out _));
        Assert.NotNull(CheckInRules.CheckTags([.. Enumerable.Range(0, 11).Select(i => $"t{i}")], out _));
        Assert.Null(CheckInRules.CheckTags([new string('x', 32)], out _));
        Assert.NotNull(CheckInRules.CheckTags([new string('x', 33)], out _));
        Assert.NotNull(CheckInRules.CheckTags(["ok", "  "], out _));
        Assert.NotNull(CheckInRules.CheckTags(["ok", null], out _));
        Assert.NotNull(CheckInRules.CheckTags(["tab\there"], out _));
    }

    [Fact]
    public void Notes_are_optional_and_limited()
    {
        Assert.Null(CheckInRules.CheckNote("   ", out var blank));
        Assert.Null(blank);
        Assert.Null(CheckInRules.CheckNote(new string('n', 500), out _));
        Assert.NotNull(CheckInRules.CheckNote(new string('n', 501), out _));
    }

    [Fact]
    public void Version_7_ids_sort_by_time_in_their_string_form()
    {
        var times = new long[] { 0, 1, 0xFFFF, 0x10000, 0x1_0000_0000, 1_741_608_000_000, 1_741_608_000_001, 253_402_300_799_999 }; // the last is 9999-12-31, DateTimeOffset's end
        var keys = times.Select(ms => CheckInKeys.Of(CheckInKeys.NewId(ms))).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        for (var i = 0; i < times.Length; i++)
        {
            Assert.StartsWith(CheckInKeys.Bound(times[i]), keys[i], StringComparison.Ordinal);
            Assert.Equal(times[i], CheckInKeys.UnixMillisecondsOf(Guid.Parse(keys[i])));
        }

        // Guid.CreateVersion7() itself: its string sorts by its millisecond.
        var now = DateTimeOffset.UtcNow;
        Assert.True(string.CompareOrdinal(Guid.CreateVersion7(now).ToString(), Guid.CreateVersion7(now.AddMilliseconds(1)).ToString()) < 0);
    }

    [Fact]
    public void An_upper_bound_includes_every_record_before_it()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_741_608_000_000);
        var key = CheckInKeys.Of(CheckInKeys.NewId(at.ToUnixTimeMilliseconds()));
        Assert.True(string.CompareOrdinal(key, CheckInKeys.UpperBound(at)) >= 0); // not before `at` itself
        Assert.True(string.CompareOrdinal(key, CheckInKeys.UpperBound(at.AddTicks(1))) < 0);
        Assert.True(string.CompareOrdinal(key, CheckInKeys.LowerBound(at)) >= 0);
        Assert.True(string.CompareOrdinal(key, CheckInKeys.LowerBound(at.AddTicks(1))) < 0);
    }

    [Fact]
    public void A_cursor_round_trips_and_anything_else_is_refused()
    {
        var id = Guid.CreateVersion7();
        var cursor = EntryCursor.Encode(id);
        Assert.True(EntryCursor.TryDecode(cursor, out var decoded));
        Assert.Equal(id, decoded);

        static string B64(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
        foreach (var bad in new[] { "garbage!!", B64("hello"), B64(id.ToString("N")), B64(id.ToString().ToUpperInvariant()), cursor + "=", cursor[..^1], new string('A', 200) })
        {
            Assert.False(EntryCursor.TryDecode(bad, out _), bad);
        }
    }

    [Fact]
    public async Task Dates_are_whole_days_in_the_users_time_zone_and_both_ends_are_inclusive()
    {
        var kolkata = DateTimeZoneProviders.Tzdb["Asia/Kolkata"];
        var errors = new FieldErrors();
        var (from, to) = await CheckInTimeRange.ParseAsync("2025-03-01", "2025-03-01", () => Task.FromResult(kolkata), errors);
        Assert.False(errors.Any);
        Assert.Equal(DateTimeOffset.Parse("2025-02-28T18:30:00Z"), from);
        Assert.Equal(DateTimeOffset.Parse("2025-03-01T18:30:00Z"), to); // exclusive: the end of the 1st, inclusive

        var losAngeles = DateTimeZoneProviders.Tzdb["America/Los_Angeles"];
        (from, to) = await CheckInTimeRange.ParseAsync("2025-03-09T08:30", "2025-03-10", () => Task.FromResult(losAngeles), errors);
        Assert.False(errors.Any);
        Assert.Equal(DateTimeOffset.Parse("2025-03-09T15:30:00Z"), from); // PDT (-07:00) from 02:00 that day
        Assert.Equal(DateTimeOffset.Parse("2025-03-11T07:00:00Z"), to);
    }

    [Fact]
    public async Task Instants_keep_their_offset_and_need_no_time_zone()
    {
        var errors = new FieldErrors();
        var (from, to) = await CheckInTimeRange.ParseAsync(
            "2025-03-01T10:00:00+05:30", "2025-03-01T10:00:00.123 05:30", () => throw new InvalidOperationException("not needed"), errors);
        Assert.False(errors.Any);
        Assert.Equal(DateTimeOffset.Parse("2025-03-01T04:30:00Z"), from);
        Assert.Equal(DateTimeOffset.Parse("2025-03-01T04:30:00.123Z").AddTicks(1), to);

        (from, to) = await CheckInTimeRange.ParseAsync("2025-03-01T04:30Z", null, () => throw new InvalidOperationException("not needed"), errors);
        Assert.Equal(DateTimeOffset.Parse("2025-03-01T04:30:00Z"), from);
        Assert.Null(to);
    }

    [Theory]
    [InlineData("yesterday", null, "from")]
    [InlineData("2025-02-30", null, "from")]
    [InlineData("2025-03-01T25:00Z", null, "from")]
    [InlineData(null, "0001-01-01", "to")]
    [InlineData("2025-03-02", "2025-03-01", "to")]
    public async Task Bad_ranges_name_the_field(string? from, string? to, string field)
    {
        var errors = new FieldErrors();
        await CheckInTimeRange.ParseAsync(from, to, () => Task.FromResult(DateTimeZone.Utc), errors);
        Assert.True(errors.ToDictionary().ContainsKey(field));
    }
}
