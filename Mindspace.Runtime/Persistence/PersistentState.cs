using System.Globalization;
using Mindspace.Runtime.Serialization;

namespace Mindspace.Runtime.Persistence;

/// <summary>Loads a grain's states before <see cref="Grain.OnActivateAsync"/>.</summary>
internal interface IActivationStateLoader
{
    Task ReadStateAsync(CancellationToken cancellationToken);
}

/// <summary>A named state of one grain, read and written through <see cref="IGrainStateStore"/> with version checks.</summary>
internal sealed class PersistentState<TState>(GrainId grainId, string stateName, IGrainStateStore store, GrainSerializer serializer)
    : IPersistentState<TState>, IActivationStateLoader
    where TState : new()
{
    private long? _version;

    public TState State { get; set; } = new();

    public string? Etag => _version?.ToString(CultureInfo.InvariantCulture);

    public bool RecordExists { get; private set; }

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var stored = await store.ReadAsync(grainId, stateName, cancellationToken).ConfigureAwait(false);
        _version = stored?.Version;
        RecordExists = stored?.Payload is not null;
        State = stored?.Payload is { } payload ? serializer.Deserialize<TState>(payload) : new TState();
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var payload = serializer.Serialize(State);
        _version = await store.WriteAsync(grainId, stateName, payload, _version, cancellationToken).ConfigureAwait(false);
        RecordExists = true;
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        if (_version is not null)
        {
            _version = await store.ClearAsync(grainId, stateName, _version, cancellationToken).ConfigureAwait(false);
        }

        State = new TState();
        RecordExists = false;
    }
}
