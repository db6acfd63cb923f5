using System.Security.Cryptography;
using System.Text;

namespace Mindspace.Grains.Journal;

/// <summary>
/// AES-256-GCM sealing of small payloads, as base64 of <c>version (1) | nonce (12) | tag (16) | ciphertext</c>.
/// The associated data names the owner and the record, so a ciphertext copied to another user's
/// row or another entry fails its tag check instead of decrypting there.
/// </summary>
public static class JournalCipher
{
    public const int KeySize = 32;
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;

    /// <summary>What a sealed record is bound to: its owner, its table and its key.</summary>
    public static byte[] Binding(string purpose, Guid owner, string recordKey)
        => Encoding.UTF8.GetBytes($"mindspace/{purpose}/v1\n{owner:D}\n{recordKey}");

    public static string Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var output = new byte[HeaderSize + plaintext.Length];
        output[0] = Version;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(HeaderSize), output.AsSpan(1 + NonceSize, TagSize), associatedData);
        return Convert.ToBase64String(output);
    }

    /// <returns>The plaintext, or null when the sealed text is malformed or fails its integrity check.</returns>
    public static byte[]? TryOpen(ReadOnlySpan<byte> key, string? sealedText, ReadOnlySpan<byte> associatedData)
    {
        if (sealedText is null)
        {
            return null;
        }

        byte[] input;
        try
        {
            input = Convert.FromBase64String(sealedText);
        }
        catch (FormatException)
        {
            return null;
        }

        if (input.Length < HeaderSize || input[0] != Version)
        {
            return null;
        }

        var plaintext = new byte[input.Length - HeaderSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(input.AsSpan(1, NonceSize), input.AsSpan(HeaderSize), input.AsSpan(1 + NonceSize, TagSize), plaintext, associatedData);
            return plaintext;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
