using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Mindspace.Gateway.Auth;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Auth;

/// <summary>The token handler that remembers valid tokens, on its own, on a clock moved by hand.</summary>
public sealed class CachingTokenHandlerTests
{
    private static readonly SymmetricSecurityKey Key = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_valid_token_is_checked_once_and_then_remembered()
    {
        var handler = new CachingTokenHandler(_clock, 100);
        var token = Sign(Key, _clock.GetUtcNow().AddMinutes(15));

        var first = await handler.ValidateTokenAsync(token, Parameters());
        var second = await handler.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid);
        Assert.Same(first, second);
        Assert.Equal(1, handler.Count);
        Assert.Equal("someone", second.ClaimsIdentity.FindFirst("sub")?.Value);
    }

    [Fact]
    public async Task A_remembered_token_is_checked_in_full_again_from_its_expiry()
    {
        // The full check reads the system clock (and allows 5 s of skew after exp); the remembered answer
        // ends at exp on the handler's clock, moved by hand here.
        var handler = new CachingTokenHandler(_clock, 100);
        var token = Sign(Key, _clock.GetUtcNow().AddSeconds(60));
        var first = await handler.ValidateTokenAsync(token, Parameters());

        _clock.Advance(TimeSpan.FromSeconds(59));
        var before = await handler.ValidateTokenAsync(token, Parameters());
        _clock.Advance(TimeSpan.FromSeconds(2));
        var after = await handler.ValidateTokenAsync(token, Parameters());

        Assert.Same(first, before);
        Assert.NotSame(first, after);
    }

    [Fact]
    public async Task Forged_and_expired_tokens_are_never_remembered()
    {
        var handler = new CachingTokenHandler(_clock, 100);
        var forged = Sign(new SymmetricSecurityKey(new byte[32]), _clock.GetUtcNow().AddMinutes(15));
        var expired = Sign(Key, _clock.GetUtcNow().AddSeconds(-30));

        foreach (var token in new[] { forged, expired, forged, "not.a.token" })
        {
            Assert.False((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
        }

        Assert.Equal(0, handler.Count);
    }

    [Fact]
    public async Task A_full_cache_still_checks_new_tokens_in_full()
    {
        var handler = new CachingTokenHandler(_clock, 2);
        var tokens = Enumerable.Range(0, 3).Select(i => Sign(Key, _clock.GetUtcNow().AddMinutes(15 + i))).ToArray();

        foreach (var token in tokens)
        {
            Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
        }

        Assert.Equal(2, handler.Count);
        Assert.False((await handler.ValidateTokenAsync(Sign(new SymmetricSecurityKey(new byte[32]), _clock.GetUtcNow().AddMinutes(15)), Parameters())).IsValid);
    }

    private static TokenValidationParameters Parameters() => new()
    {
        ValidIssuer = "mindspace",
        ValidAudience = "mindspace-api",
        IssuerSigningKey = Key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = AuthSetup.ClockSkew,
    };

    private static string Sign(SecurityKey key, DateTimeOffset expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "mindspace",
        Audience = "mindspace-api",
        Subject = new ClaimsIdentity([new Claim("sub", "someone")]),
        IssuedAt = expires.UtcDateTime.AddMinutes(-30),
        NotBefore = expires.UtcDateTime.AddMinutes(-30),
        Expires = expires.UtcDateTime,
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
    });
}
