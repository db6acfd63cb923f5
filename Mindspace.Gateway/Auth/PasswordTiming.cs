using Microsoft.AspNetCore.Identity;

namespace Mindspace.Gateway.Auth;

/// <summary>
/// Makes a sign-in for an email without an account cost what a wrong password costs (one hash
/// verification), so response times do not tell which emails have accounts.
/// </summary>
internal static class PasswordTiming
{
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object Nobody = new();
    private static readonly Lazy<string> DummyHash = new(() => Hasher.HashPassword(Nobody, Guid.NewGuid().ToString("N")));

    public static void VerifyAgainstNothing(string password) => Hasher.VerifyHashedPassword(Nobody, DummyHash.Value, password);
}
