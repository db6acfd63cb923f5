namespace Mindspace.Cluster.Tests.Infrastructure;

/// <summary>One call to a grain while the cluster recovers: bounded in time, and a failure means "not yet".</summary>
public static class GrainProbe
{
    /// <summary>Longest a single probe waits: a call stuck on a dead silo must not hold up the bounded wait around it.</summary>
    public static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(1);

    /// <returns>The call's result, or null when it failed or took longer than <see cref="CallLimit"/>.</returns>
    public static async Task<T?> TryAsync<T>(Func<CancellationToken, Task<T>> call)
        where T : class?
    {
        using var limit = new CancellationTokenSource(CallLimit);
        try
        {
            return await call(limit.Token).WaitAsync(limit.Token);
        }
        catch (Exception)
        {
            // Unavailable silo, timeout, cancellation: the grain does not answer yet.
            return null;
        }
    }
}
