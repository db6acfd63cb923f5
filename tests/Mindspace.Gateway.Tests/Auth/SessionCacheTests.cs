using Mindspace.Gateway.Auth;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Auth;

/// <summary>The gateway's session cache on its own, on a clock moved by hand.</summary>
public sealed class SessionCacheTests
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly Guid _user = Guid.NewGuid();
    private readonly Guid _session = Guid.NewGuid();

    [Fact]
    public void An_entry_is_trusted_for_its_lifetime_and_not_a_tick_longer()
    {
        var cache = Trusted(new SessionCache(_clock, TimeSpan.FromSeconds(5), 100));
        cache.Remember(_session, _user, cache.Generation);

        Assert.True(cache.IsActive(_session, _user));
        _clock.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        Assert.True(cache.IsActive(_session, _user));
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.False(cache.IsActive(_session, _user));
    }

    [Fact]
    public void A_clock_set_back_does_not_make_an_entry_live_longer()
    {
        var cache = Trusted(new SessionCache(_clock, TimeSpan.FromSeconds(5), 100));
        cache.Remember(_session, _user, cache.Generation);

        _clock.Advance(TimeSpan.FromSeconds(-1));

        Assert.False(cache.IsActive(_session, _user));
    }

    [Fact]
    public void An_entry_answers_only_for_its_own_user()
    {
        var cache = Trusted(new SessionCache(_clock, TimeSpan.FromSeconds(5), 100));
        cache.Remember(_session, _user, cache.Generation);

        Assert.False(cache.IsActive(_session, Guid.NewGuid()));
        Assert.False(cache.IsActive(Guid.NewGuid(), _user));
    }

    [Fact]
    public void Evicting_a_session_or_a_user_forgets_at_once()
    {
        var cache = Trusted(new SessionCache(_clock, TimeSpan.FromSeconds(5), 100));
        var otherSession = Guid.NewGuid();
        var someoneElse = Guid.NewGuid();
        var theirSession = Guid.NewGuid();
        cache.Remember(_session, _user, cache.Generation);
        cache.Remember(otherSession, _user, cache.Generation);
        cache.Remember(theirSession, someoneElse, cache.Generation);

        cache.Evict(_session);
        Assert.False(cache.IsActive(_session, _user));
        Assert.True(cache.IsActive(otherSession, _user));

        cache.EvictUser(_user);
        Assert.False(cache.IsActive(otherSession, _user));
        Assert.True(cache.IsActive(theirSession, someoneElse));
    }

    [Fact]
    public void An_answer_asked_for_before_an_eviction_is_not_remembered()
    {
        var cache = Trusted(new SessionCache(_clock, TimeSpan.FromSeconds(5), 100));
        var before = cache.Generation; // a request misses and asks the session grain ...
        cache.Evict(_session);         // ... the session ends and the push arrives ...
        cache.Remember(_session, _user, before); // ... then the grain's earlier "active" comes back.

        Assert.False(cache.IsActive(_session, _user));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Nothing_is_remembered_until_trusted_and_a_noticed_loss_forgets_everything()
    {
        var cache = new SessionCache(_clock, TimeSpan.FromSeconds(5), 100);
        cache.Remember(_session, _user, cache.Generation);
        Assert.False(cache.IsActive(_session, _user)); // not subscribed yet: pushes would not reach this gateway

        var asked = cache.Generation;
        cache.Trust();
        cache.Remember(_session, _user, asked); // asked before the subscription: a revocation then was never heard
        Assert.False(cache.IsActive(_session, _user));

        cache.Remember(_session, _user, cache.Generation);
        Assert.True(cache.IsActive(_session, _user));

        cache.Distrust();
        Assert.False(cache.IsActive(_session, _user));
        cache.Remember(_session, _user, cache.Generation);
        Assert.False(cache.IsActive(_session, _user));
    }

    [Fact]
    public void A_full_cache_sweeps_expired_entries_and_otherwise_remembers_no_more()
    {
        var cache = Trusted(new SessionCache(_clock, TimeSpan.FromSeconds(5), 2));
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        cache.Remember(first, _user, cache.Generation);
        cache.Remember(second, _user, cache.Generation);

        cache.Remember(_session, _user, cache.Generation);
        Assert.False(cache.IsActive(_session, _user));
        Assert.Equal(2, cache.Count);

        _clock.Advance(TimeSpan.FromSeconds(5));
        cache.Remember(_session, _user, cache.Generation);
        Assert.True(cache.IsActive(_session, _user));
        Assert.Equal(1, cache.Count);
    }

    private static SessionCache Trusted(SessionCache cache)
    {
        cache.Trust();
        return cache;
    }
}
