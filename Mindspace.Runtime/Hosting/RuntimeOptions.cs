using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Mindspace.Runtime.Cluster;
using Mindspace.Runtime.Persistence;

namespace Mindspace.Runtime;

/// <summary>Settings of the grain runtime. Defaults suit production; tests shorten the intervals.</summary>
public sealed class RuntimeOptions
{
    /// <summary>Assemblies whose <see cref="Grain"/> classes this silo hosts.</summary>
    public List<Assembly> GrainAssemblies { get; } = [];

    /// <summary>Source-generated JSON contexts for grain contracts, tried before reflection.</summary>
    public List<IJsonTypeInfoResolver> JsonTypeInfoResolvers { get; } = [];

    /// <summary>Creates the storage provider; required.</summary>
    public Func<IServiceProvider, IStorageProvider>? StorageProviderFactory { get; set; }

    /// <summary>
    /// Set to take part in a cluster on PostgreSQL (membership, placement, transport); null runs a
    /// single embedded silo that serves every grain.
    /// </summary>
    public ClusterOptions? Cluster { get; set; }

    /// <summary>How long a caller waits for a grain call before a <see cref="TimeoutException"/>. Default 30 s.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An activation unused for this long is deactivated. Default 15 minutes.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for. Default 1 minute.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often due reminders are looked for. Default 1 s.</summary>
    public TimeSpan ReminderPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Shortest reminder period allowed. Default 1 minute, as in Orleans; tests lower it.</summary>
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often a stream subscription reads the store even without a wake-up (wake-ups can be
    /// lost across processes). Default 2 s.
    /// </summary>
    public TimeSpan StreamPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Fails fast, naming the setting, when a value makes no sense.</summary>
    public void Validate()
    {
        if (StorageProviderFactory is null)
        {
            throw new InvalidOperationException($"{nameof(RuntimeOptions)}.{nameof(StorageProviderFactory)} is required.");
        }

        Cluster?.Validate();

        foreach (var (name, value) in new[]
        {
            (nameof(CallTimeout), CallTimeout),
            (nameof(CollectionAge), CollectionAge),
            (nameof(CollectionQuantum), CollectionQuantum),
            (nameof(ReminderPollInterval), ReminderPollInterval),
            (nameof(MinimumReminderPeriod), MinimumReminderPeriod),
            (nameof(StreamPollInterval), StreamPollInterval),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                throw new InvalidOperationException($"{nameof(RuntimeOptions)}.{name} must be positive; it is {value}.");
            }
        }
    }
}
