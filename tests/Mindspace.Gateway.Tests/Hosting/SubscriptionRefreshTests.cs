using Mindspace.Gateway.Hosting;

namespace Mindspace.Gateway.Tests.Hosting;

/// <summary>
/// Subscribers that connected together must not refresh together for as long as they stay connected:
/// each one's time between refreshes is drawn once, within the last third of the interval, so it still
/// comes well inside the grains' observer expiry.
/// </summary>
public sealed class SubscriptionRefreshTests
{
    [Fact]
    public void Refresh_intervals_are_spread_over_the_last_third_of_the_interval()
    {
        var interval = TimeSpan.FromSeconds(45);

        var drawn = Enumerable.Range(0, 1_000).Select(_ => new SubscriptionRefresh(interval).Every).ToList();

        Assert.All(drawn, each => Assert.InRange(each, interval * 2 / 3, interval));
        // 1,000 uniform draws over 15 s leave no gap of 5 s at either end (a chance of about 1 in 10^176).
        Assert.True(drawn.Min() < TimeSpan.FromSeconds(35), $"the shortest interval was {drawn.Min()}");
        Assert.True(drawn.Max() > TimeSpan.FromSeconds(40), $"the longest interval was {drawn.Max()}");
    }
}
