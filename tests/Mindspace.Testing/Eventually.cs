using Xunit;

namespace Mindspace.Testing;

/// <summary>
/// Waits for something asynchronous (a reminder, a stream delivery, idle collection) to become true.
/// The limit is generous and only bounds a failing test; it asserts no speed.
/// </summary>
public static class Eventually
{
    /// <param name="pollMilliseconds">The wait between probes (longer for a probe that costs the whole process, a full collection say).</param>
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, int seconds = 20, int pollMilliseconds = 50)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        T last;
        do
        {
            last = await probe();
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(pollMilliseconds);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"Gave up waiting for {what}; last value: {last}");
        return last;
    }

    public static Task TrueAsync(Func<bool> condition, string what, int seconds = 20, int pollMilliseconds = 50)
        => ReturnsAsync(() => Task.FromResult(condition()), ok => ok, what, seconds, pollMilliseconds);
}
