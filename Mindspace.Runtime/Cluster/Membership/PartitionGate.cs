namespace Mindspace.Runtime.Cluster.Membership;

/// <summary>
/// This silo's side of partition ownership: which partitions it serves, and the door every call
/// to a local activation passes through. A partition is served only while this silo holds its lease
/// and that lease was confirmed recently (<see cref="ConfirmLease"/>): when the heartbeat stalls,
/// the door closes by itself before peers may evict the silo (self-fencing).
/// </summary>
public sealed class PartitionGate : IPartitionOwnership
{
    private readonly PartitionSlot[] _slots = new PartitionSlot[Partitioning.Count];
    private readonly TimeProvider _clock;
    private long _leaseValidUntil;

    public PartitionGate(TimeProvider clock)
    {
        _clock = clock;
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new PartitionSlot();
        }
    }

    private DateTimeOffset? _fencedAt;

    /// <summary>
    /// When the lease last ended — it lapsed without a confirmed heartbeat, or the silo fenced
    /// itself — so nothing was served after it. Null while the lease holds or before the first one.
    /// </summary>
    public DateTimeOffset? LeaseEndedAt
    {
        get
        {
            var until = Volatile.Read(ref _leaseValidUntil);
            if (until == 0)
            {
                return _fencedAt;
            }

            var now = _clock.GetTimestamp();
            return now < until ? null : _clock.GetUtcNow() - _clock.GetElapsedTime(until, now);
        }
    }

    /// <summary>Whether the lease is confirmed now; no partition is served without it.</summary>
    public bool LeaseValid => _clock.GetTimestamp() < Volatile.Read(ref _leaseValidUntil);

    public IReadOnlyCollection<int>? ServedPartitions
        => LeaseValid ? [.. Enumerable.Range(0, _slots.Length).Where(p => _slots[p].State == PartitionState.Serving)] : [];

    /// <summary>Partitions held (serving or draining), whatever the lease says.</summary>
    public IReadOnlyList<int> HeldPartitions
        => [.. Enumerable.Range(0, _slots.Length).Where(p => _slots[p].State != PartitionState.NotHeld)];

    /// <summary>
    /// Extends the lease to <paramref name="validFor"/> after <paramref name="confirmedAtTimestamp"/>
    /// (a <see cref="TimeProvider.GetTimestamp"/> taken before the heartbeat was sent, so the lease
    /// never outlives what the database saw).
    /// </summary>
    public void ConfirmLease(long confirmedAtTimestamp, TimeSpan validFor)
    {
        var until = confirmedAtTimestamp + (long)(validFor.TotalSeconds * _clock.TimestampFrequency);
        long current;
        do
        {
            current = Volatile.Read(ref _leaseValidUntil);
            if (until <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _leaseValidUntil, until, current) != current);
    }

    /// <summary>Stops serving everything at once: the lease is lost or can no longer be confirmed.</summary>
    public IReadOnlyList<int> Fence()
    {
        _fencedAt = LeaseEndedAt ?? _clock.GetUtcNow();
        Volatile.Write(ref _leaseValidUntil, 0);
        var held = HeldPartitions;
        foreach (var partition in held)
        {
            _slots[partition].State = PartitionState.NotHeld;
        }

        return held;
    }

    /// <summary>The lease of <paramref name="partition"/> is held: calls to its grains are admitted.</summary>
    public void Acquired(int partition) => _slots[partition].State = PartitionState.Serving;

    /// <summary>The partition is about to be handed over: new calls are turned away (calls already inside finish).</summary>
    public void BeginDrain(int partition)
    {
        var slot = _slots[partition];
        if (slot.State == PartitionState.Serving)
        {
            slot.State = PartitionState.Draining;
        }
    }

    /// <summary>The lease of <paramref name="partition"/> was given up.</summary>
    public void Released(int partition) => _slots[partition].State = PartitionState.NotHeld;

    public bool IsServing(int partition) => _slots[partition].State == PartitionState.Serving && LeaseValid;

    /// <summary>
    /// Admits a call to a grain of <paramref name="partition"/>, or refuses it (the call has not run
    /// and the caller may send it to the new owner). While a partition drains, calls made by grains
    /// already running inside it are still admitted, so a draining turn can finish its own calls.
    /// </summary>
    public bool TryEnter(int partition, bool fromRunningGrain)
    {
        var slot = _slots[partition];
        Interlocked.Increment(ref slot.InFlight);
        var state = slot.State;
        var admitted = LeaseValid
            && (state == PartitionState.Serving || (state == PartitionState.Draining && fromRunningGrain && Volatile.Read(ref slot.InFlight) > 1));
        if (!admitted)
        {
            Interlocked.Decrement(ref slot.InFlight);
        }

        return admitted;
    }

    public void Exit(int partition) => Interlocked.Decrement(ref _slots[partition].InFlight);

    /// <summary>Calls admitted to <paramref name="partition"/> that have not finished.</summary>
    public int InFlight(int partition) => Volatile.Read(ref _slots[partition].InFlight);

    private enum PartitionState
    {
        NotHeld,
        Serving,
        Draining,
    }

    private sealed class PartitionSlot
    {
        public int InFlight;

        private int _state;

        public PartitionState State
        {
            get => (PartitionState)Volatile.Read(ref _state);
            set => Volatile.Write(ref _state, (int)value);
        }
    }
}
