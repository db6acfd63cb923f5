using System.Collections.Concurrent;
using System.Diagnostics;
using Mindspace.Grains.Interfaces.CheckIns;

namespace Mindspace.Cluster.Tests.Infrastructure;

/// <summary>
/// Concurrent writers adding check-in entries through the cluster client, as a gateway does for its
/// users. Every entry the cluster acknowledged is remembered, so the test can look for each one
/// afterwards; every failed call is recorded with its time and kind.
/// </summary>
/// <remarks>
/// Each user is written by one writer only, one entry at a time, the way one person uses the app;
/// the writers together keep every user's grain busy. Failed calls are not retried: counting them
/// is what the tests measure.
/// </remarks>
public sealed class CheckInLoad
{
    private static readonly NewEntry Entry = new("A check-in written by the failover tests.", 3, ["failover"]);

    private readonly IGrainFactory _grains;
    private readonly Dictionary<Guid, ConcurrentQueue<Guid>> _acknowledged;
    private readonly ConcurrentQueue<CallFailure> _failures = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task[] _writers;
    private long _acknowledgedCount;

    private CheckInLoad(IGrainFactory grains, int users, int writers)
    {
        _grains = grains;
        Users = [.. Enumerable.Range(0, users).Select(_ => Guid.NewGuid())];
        _acknowledged = Users.ToDictionary(user => user, _ => new ConcurrentQueue<Guid>());
        _writers = [.. Enumerable.Range(0, writers).Select(writer => Task.Run(() => WriteAsync([.. Users.Where((_, index) => index % writers == writer)])))];
    }

    public IReadOnlyList<Guid> Users { get; }

    /// <summary>Time since the load started; failures are stamped with it.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public long AcknowledgedCount => Interlocked.Read(ref _acknowledgedCount);

    public IReadOnlyList<CallFailure> Failures => [.. _failures];

    public static CheckInLoad Start(IGrainFactory grains, int users, int writers) => new(grains, users, writers);

    public ICheckInsGrain GrainOf(Guid user) => _grains.GetGrain<ICheckInsGrain>(user);

    /// <summary>How many writes to <paramref name="user"/> have been acknowledged so far.</summary>
    public int AcknowledgedFor(Guid user) => _acknowledged[user].Count;

    /// <summary>The first entry acknowledged for <paramref name="user"/>; there must be one.</summary>
    public Guid FirstAcknowledged(Guid user) => _acknowledged[user].TryPeek(out var id) ? id : throw new InvalidOperationException("No write to that user has been acknowledged yet.");

    /// <summary>Ends the load; every call under way completes (or fails) before this returns.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_writers);
    }

    /// <summary>
    /// Reads every user's entries back and compares them with what was acknowledged. Call after
    /// <see cref="StopAsync"/>.
    /// </summary>
    public async Task<WriteAudit> AuditAsync()
    {
        var lost = 0;
        var unacknowledged = 0;
        foreach (var (user, acknowledged) in _acknowledged)
        {
            var stored = await ReadAllEntriesAsync(GrainOf(user));
            lost += acknowledged.Count(id => !stored.Contains(id));
            unacknowledged += stored.Count - acknowledged.Count(stored.Contains);
        }

        return new WriteAudit(AcknowledgedCount, lost, unacknowledged);
    }

    private static async Task<HashSet<Guid>> ReadAllEntriesAsync(ICheckInsGrain grain)
    {
        var ids = new HashSet<Guid>();
        Guid? after = null;
        do
        {
            var page = await grain.ListEntriesAsync(new EntryQuery(After: after, Limit: CheckInRules.MaxPageSize), CancellationToken.None);
            ids.UnionWith(page.Items.Select(entry => entry.Id));
            after = page.Next;
        }
        while (after is not null);

        return ids;
    }

    private async Task WriteAsync(Guid[] users)
    {
        for (var round = 0; !_stop.IsCancellationRequested; round++)
        {
            var user = users[round % users.Length];
            try
            {
                var entry = await GrainOf(user).CreateEntryAsync(Entry);
                _acknowledged[user].Enqueue(entry.Id);
                Interlocked.Increment(ref _acknowledgedCount);
            }
            catch (Exception exception)
            {
                // Whatever the kind (silo unavailable, timeout, rejected), the user saw an error.
                _failures.Enqueue(new CallFailure(_clock.Elapsed, exception.GetType().Name, exception.Message));
            }
        }
    }
}

/// <param name="At">Time since the load started.</param>
/// <param name="Error">The exception's type: which way the call failed.</param>
/// <param name="Message">Orleans' description of the failure (no user text: the grain puts none in exceptions).</param>
public sealed record CallFailure(TimeSpan At, string Error, string Message);

/// <param name="Acknowledged">Writes the cluster acknowledged.</param>
/// <param name="Lost">Acknowledged writes not found afterwards.</param>
/// <param name="Unacknowledged">Entries stored although their writer saw the call fail (allowed: the write landed, the answer did not).</param>
public sealed record WriteAudit(long Acknowledged, int Lost, int Unacknowledged);
