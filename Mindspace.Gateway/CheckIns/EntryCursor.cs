using System.Buffers.Text;
using System.Text;
using Mindspace.Grains.Interfaces.CheckIns;

namespace Mindspace.Gateway.CheckIns;

/// <summary>
/// The opaque paging cursor of <c>GET /api/v1/entries</c>: base64url (no padding) of the last
/// returned entry's id in canonical form. Anything that does not decode to exactly that is rejected.
/// </summary>
internal static class EntryCursor
{
    /// <summary>A canonical id is 36 characters, so its cursor is 48; anything longer is not ours.</summary>
    private const int MaxLength = 64;

    public static string Encode(Guid lastId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(CheckInKeys.Of(lastId)));

    public static bool TryDecode(string cursor, out Guid lastId)
    {
        lastId = Guid.Empty;
        if (cursor.Length is 0 or > MaxLength || !Base64Url.IsValid(cursor))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[MaxLength];
        if (!Base64Url.TryDecodeFromChars(cursor, bytes, out var written))
        {
            return false;
        }

        string key;
        try
        {
            key = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes[..written]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        // Only the exact form we hand out: no other casing, padding or id format.
        return Guid.TryParseExact(key, "D", out lastId) && Encode(lastId) == cursor;
    }
}
