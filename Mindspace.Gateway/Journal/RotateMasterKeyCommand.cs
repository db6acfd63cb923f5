using Mindspace.Grains.Journal;
using Mindspace.Grains.Records;
using Mindspace.Silo;
using Mindspace.Silo.Journal;
using Mindspace.Silo.Storage;

namespace Mindspace.Gateway.Journal;

/// <summary>
/// <c>rotate-master-key</c>: re-wraps every user's journal data key under a new master key, on the
/// same storage the gateway uses (DATA_DIR or DATABASE_URL, from the environment or
/// <c>--KEY=value</c> arguments). Entries are not touched: only the small key rows change.
/// <code>NEW_MASTER_KEY=$(openssl rand -base64 32) dotnet run --project Mindspace.Gateway -- rotate-master-key</code>
/// The current key is <c>MASTER_KEY</c> (or, in embedded development, <c>DATA_DIR/journal-master-key</c>,
/// which is then replaced by the new key). Afterwards start every process with <c>MASTER_KEY</c> set to
/// the new key and, until all have restarted, <c>MASTER_KEY_PREVIOUS</c> set to the old one.
/// </summary>
/// <remarks>
/// Safe to run again: rows already under the new key are skipped, so a row a running process
/// wrapped with the old key meanwhile (a user's first entry) is picked up by a second run.
/// </remarks>
public static class RotateMasterKeyCommand
{
    public const string Command = "rotate-master-key";
    public const string NewKeyKey = "NEW_MASTER_KEY";
    private const int Batch = 500;

    /// <returns>0 done, 1 some keys could not be unwrapped (left as they were), 2 bad usage; null when <paramref name="args"/> is not this command.</returns>
    public static async Task<int?> TryRunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        if (args.Length == 0 || args[0] != Command)
        {
            return null;
        }

        output ??= Console.Out;
        error ??= Console.Error;
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args[1..]).Build();
        var settings = SiloSettings.From(configuration);
        JournalMasterKeys current;
        byte[] newKey;
        try
        {
            if (string.IsNullOrWhiteSpace(configuration[NewKeyKey]))
            {
                await error.WriteLineAsync($"Usage: {Command} with {NewKeyKey} set to base64 of 32 random bytes (openssl rand -base64 32) [--DATA_DIR=path | --DATABASE_URL=url]");
                return 2;
            }

            newKey = JournalMasterKeySettings.Parse(configuration[NewKeyKey]!, NewKeyKey);
            current = JournalMasterKeySettings.Load(configuration, settings);
        }
        catch (InvalidOperationException e)
        {
            await error.WriteLineAsync(e.Message);
            return 2;
        }

        var target = new JournalMasterKeys(newKey);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMindspaceStorage(settings);
        await using var provider = services.BuildServiceProvider();
        var keys = new JournalDataKeys(provider.GetRequiredService<IRecordStore>());
        int rewrapped = 0, already = 0, failed = 0;
        Guid? after = null;
        while (true)
        {
            var page = await keys.PageAsync(after, Batch, cancellationToken);
            foreach (var (user, wrapped) in page)
            {
                if (wrapped.MasterKeyId == target.CurrentId)
                {
                    already++;
                    continue;
                }

                if (current.TryUnwrap(user, wrapped) is not { } dataKey)
                {
                    failed++;
                    continue;
                }

                await keys.PutAsync(user, target.Wrap(user, dataKey, wrapped.CreatedAt), cancellationToken);
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(dataKey);
                rewrapped++;
            }

            if (page.Count < Batch)
            {
                break;
            }

            after = page[^1].User;
        }

        if (failed == 0 && JournalMasterKeySettings.DevKeyPath(configuration, settings) is { } devKeyPath)
        {
            JournalMasterKeySettings.ReplaceDevKey(devKeyPath, newKey);
            await output.WriteLineAsync($"Replaced the development master key in {devKeyPath}.");
        }

        await output.WriteLineAsync($"Re-wrapped {rewrapped} journal data keys under master key {target.CurrentId}; {already} already were.");
        if (failed > 0)
        {
            await error.WriteLineAsync($"{failed} data keys were wrapped by a master key that is not configured (MASTER_KEY, MASTER_KEY_PREVIOUS) and were left as they were.");
            return 1;
        }

        return 0;
    }
}
