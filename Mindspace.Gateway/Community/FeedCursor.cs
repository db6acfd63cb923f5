using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Mindspace.Grains.Interfaces.Community;

namespace Mindspace.Gateway.Community;

/// <summary>
/// The opaque cursor of <c>GET /api/v1/posts</c>: base64url of
/// <c>v1|sort|period|tag|asOfMs|key|postId</c>. It carries the place in the order (the last item's sort
/// key and id) and the moment of the first page, so posts that arrive later never shift the pages.
/// A cursor used with a different sort, period or tag is refused.
/// </summary>
public static class FeedCursor
{
    private const int MaxLength = 512;

    public static string Encode(string sort, string period, string? tag, DateTimeOffset asOf, FeedPosition position)
        => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('|',
            "v1", sort, period, tag ?? string.Empty,
            asOf.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            position.Key.ToString("R", CultureInfo.InvariantCulture),
            position.PostId.ToString("D"))));

    public static bool TryDecode(string cursor, string sort, string period, string? tag, out DateTimeOffset asOf, out FeedPosition position)
    {
        asOf = default;
        position = null!;
        if (cursor.Length is 0 or > MaxLength || !Base64Url.IsValid(cursor))
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            return false;
        }

        var parts = text.Split('|');
        if (parts.Length != 7 || parts[0] != "v1" || parts[1] != sort || parts[2] != period || parts[3] != (tag ?? string.Empty)
            || !long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            || !double.TryParse(parts[5], NumberStyles.Float, CultureInfo.InvariantCulture, out var key) || !double.IsFinite(key)
            || !Guid.TryParseExact(parts[6], "D", out var postId))
        {
            return false;
        }

        asOf = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        position = new FeedPosition(key, postId);
        return true;
    }
}

/// <summary>The cursor of <c>GET /api/v1/me/bookmarks</c>: the last bookmark's time and post.</summary>
public static class BookmarkCursor
{
    public static string Encode(Bookmark last)
        => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{last.At.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{last.PostId:D}"));

    public static bool TryDecode(string cursor, out DateTimeOffset at, out Guid postId)
    {
        at = default;
        postId = default;
        if (cursor.Length is 0 or > 128 || !Base64Url.IsValid(cursor))
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('|');
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks || !Guid.TryParseExact(parts[1], "D", out postId))
        {
            return false;
        }

        at = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }
}
