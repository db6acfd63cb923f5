using System.Security.Cryptography;
using System.Text;

namespace Mindspace.Grains.Interfaces.Auth;

/// <summary>Keys of the grains that are addressed by an email (index, sign-in throttle).</summary>
public static class EmailKeys
{
    /// <summary>The lookup form of an email: trimmed, lower case (invariant).</summary>
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    /// <summary>
    /// The grain key for an email: SHA-256 (hex) of its normalized form. Grain ids show up in logs
    /// and storage keys; the hash keeps the address out of both while staying one key per email.
    /// </summary>
    public static string For(string email)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(email))));
}
