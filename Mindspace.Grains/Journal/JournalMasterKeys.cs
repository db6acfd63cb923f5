using System.Security.Cryptography;
using System.Text;

namespace Mindspace.Grains.Journal;

/// <summary>
/// The master key that wraps every user's journal data key (and, during a rotation, the previous
/// ones, which can only unwrap). Keys are 32 random bytes; a key's id is a short hash of it, stored
/// beside each wrapped data key so the right one is chosen and a wrong configuration is named.
/// </summary>
public sealed class JournalMasterKeys
{
    private readonly byte[] _current;
    private readonly Dictionary<string, byte[]> _byId = new(StringComparer.Ordinal);

    public JournalMasterKeys(byte[] current, IEnumerable<byte[]>? previous = null)
    {
        _current = Require(current);
        CurrentId = IdOf(current);
        _byId[CurrentId] = _current;
        foreach (var key in previous ?? [])
        {
            _byId.TryAdd(IdOf(Require(key)), key);
        }
    }

    /// <summary>The id of the key new data keys are wrapped with.</summary>
    public string CurrentId { get; }

    /// <summary>A key's public id: 16 hex digits of SHA-256 over a label and the key.</summary>
    public static string IdOf(byte[] key)
        => Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes("mindspace/journal-master-key-id\n"), .. key]).AsSpan(0, 8));

    public static byte[] NewDataKey() => RandomNumberGenerator.GetBytes(JournalCipher.KeySize);

    /// <summary>Wraps <paramref name="dataKey"/> for <paramref name="owner"/> under the current master key.</summary>
    public WrappedDataKey Wrap(Guid owner, byte[] dataKey, DateTimeOffset createdAt)
        => new(CurrentId, JournalCipher.Seal(_current, dataKey, Binding(owner)), createdAt);

    /// <returns>The data key, or null when no configured master key has the wrapping key's id or it does not open.</returns>
    public byte[]? TryUnwrap(Guid owner, WrappedDataKey wrapped)
        => _byId.TryGetValue(wrapped.MasterKeyId, out var key) ? JournalCipher.TryOpen(key, wrapped.Wrapped, Binding(owner)) : null;

    /// <summary>Whether a key with this id is configured.</summary>
    public bool Knows(string masterKeyId) => _byId.ContainsKey(masterKeyId);

    private static byte[] Binding(Guid owner) => JournalCipher.Binding("journal-data-key", owner, "data-key");

    private static byte[] Require(byte[] key)
        => key.Length == JournalCipher.KeySize ? key : throw new ArgumentException($"A master key is {JournalCipher.KeySize} bytes.", nameof(key));
}
