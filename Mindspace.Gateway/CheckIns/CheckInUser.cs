using System.Security.Claims;
using Mindspace.Gateway.Auth;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Users;
using NodaTime;

namespace Mindspace.Gateway.CheckIns;

/// <summary>Who is asking, and the two things check-ins need to know about them.</summary>
internal static class CheckInUser
{
    /// <summary>The signed-in user's check-ins grain.</summary>
    public static ICheckInsGrain CheckIns(this IGrainFactory grains, ClaimsPrincipal user)
        => grains.GetGrain<ICheckInsGrain>(user.GetUserId());

    /// <summary>The time zone on the user's profile (UTC when unknown): what "a day" means to them.</summary>
    public static async Task<DateTimeZone> TimeZoneAsync(IGrainFactory grains, ClaimsPrincipal user)
    {
        var profile = await grains.GetGrain<IUserGrain>(user.GetUserId()).GetProfileAsync();
        return CheckInTimeZones.FindOrUtc(profile?.TimeZone);
    }
}
