using System.Text;
using Microsoft.Extensions.Configuration;
using Mindspace.Grains.Journal;

namespace Mindspace.Silo.Journal;

/// <summary>
/// The journal's master key: <c>MASTER_KEY</c> (base64 of 32 random bytes; <c>openssl rand -base64 32</c>),
/// and during a rotation <c>MASTER_KEY_PREVIOUS</c> (comma-separated), which only unwraps. Without
/// <c>MASTER_KEY</c>, a process outside Production keeps a random one in <c>DATA_DIR/journal-master-key</c>
/// (owner-only); a process named Production refuses to start.
/// </summary>
public static class JournalMasterKeySettings
{
    public const string MasterKeyKey = "MASTER_KEY";
    public const string PreviousKeysKey = "MASTER_KEY_PREVIOUS";
    public const string DevKeyFileName = "journal-master-key";

    public static JournalMasterKeys Load(IConfiguration configuration, SiloSettings settings)
    {
        var previous = (configuration[PreviousKeysKey] ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(value => Parse(value, PreviousKeysKey));
        return new JournalMasterKeys(Current(configuration, settings), previous);
    }

    /// <summary>The current master key, from <c>MASTER_KEY</c> or (outside Production) the dev key file.</summary>
    public static byte[] Current(IConfiguration configuration, SiloSettings settings)
    {
        if (configuration[MasterKeyKey] is { Length: > 0 } value)
        {
            return Parse(value, MasterKeyKey);
        }

        if (IsExplicitlyProduction(configuration))
        {
            throw new InvalidOperationException(
                $"{MasterKeyKey} is required in Production: it protects every journal. Set it to base64 of 32 random bytes (for example: openssl rand -base64 32) and keep it apart from the database backups.");
        }

        return LoadOrCreateDevKey(settings.DataDirectory);
    }

    /// <summary>The dev key file, when the current key came from one (rotation then replaces it).</summary>
    public static string? DevKeyPath(IConfiguration configuration, SiloSettings settings)
        => configuration[MasterKeyKey] is { Length: > 0 } ? null : Path.Combine(settings.DataDirectory, DevKeyFileName);

    public static byte[] Parse(string value, string name)
    {
        try
        {
            var key = Convert.FromBase64String(value.Trim());
            if (key.Length == JournalCipher.KeySize)
            {
                return key;
            }
        }
        catch (FormatException)
        {
        }

        throw new InvalidOperationException($"{name} must be base64 of exactly {JournalCipher.KeySize} bytes (for example: openssl rand -base64 32).");
    }

    /// <summary>Writes a new dev key file in place of the old one (owner-only, atomically).</summary>
    public static void ReplaceDevKey(string path, byte[] key)
    {
        var temporary = WriteTemporary(path, key);
        File.Move(temporary, path, overwrite: true);
    }

    private static bool IsExplicitlyProduction(IConfiguration configuration)
        => new[] { configuration["environment"], configuration["ASPNETCORE_ENVIRONMENT"], configuration["DOTNET_ENVIRONMENT"] }
            .Any(name => string.Equals(name?.Trim(), "Production", StringComparison.OrdinalIgnoreCase));

    private static byte[] LoadOrCreateDevKey(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, DevKeyFileName);
        if (!File.Exists(path))
        {
            var temporary = WriteTemporary(path, JournalMasterKeys.NewDataKey());
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made it first: use theirs.
                File.Delete(temporary);
            }
        }

        try
        {
            return Parse(File.ReadAllText(path), path);
        }
        catch (InvalidOperationException)
        {
            throw new InvalidOperationException($"The journal master key in {path} is damaged. Restore it from a backup (without it no journal can be read), or set {MasterKeyKey}.");
        }
    }

    private static string WriteTemporary(string path, byte[] key)
    {
        OwnerOnlyFiles.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N");
        using var writer = new StreamWriter(temporary, Encoding.ASCII, OwnerOnlyFiles.NewFile());
        writer.Write(Convert.ToBase64String(key));
        return temporary;
    }
}
