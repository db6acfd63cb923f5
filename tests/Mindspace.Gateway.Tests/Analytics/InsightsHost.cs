using Mindspace.Gateway.Tests.Auth;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Analytics;

/// <summary>
/// A gateway whose grains read a <see cref="ManualClock"/> set in the past (so daylight-saving dates
/// of 2026 can be visited); access tokens live for years so the real clock still accepts them.
/// </summary>
public sealed class InsightsHost : SharedHost
{
    private readonly ManualClock _clock = new(DateTimeOffset.Parse("2026-03-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public ManualClock ManualClock => _clock;

    public override TimeProvider? Clock => _clock;

    protected override void Configure(IDictionary<string, string?> settings) => settings["JWT_EXPIRES_IN"] = "3650d";

    public void Set(string instant) => _clock.Set(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture));
}
