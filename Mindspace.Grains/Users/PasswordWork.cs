using Microsoft.AspNetCore.Identity;

namespace Mindspace.Grains.Users;

/// <summary>
/// Hashing and checking a password (PBKDF2, about a tenth of a second of CPU) away from the grain's
/// scheduler, on the thread pool's shared queue.
/// </summary>
/// <remarks>
/// Run inside a grain turn, the hash held a thread-pool thread for its whole length, and Orleans queues an
/// activation's work, like <c>Task.Run</c> from a pool thread, on the local queue of the thread that
/// received the call: ten users signing in at once were hashed one after another on that thread while
/// the others waited behind it. <see cref="TaskCreationOptions.PreferFairness"/> puts each hash on the
/// global queue, where any idle thread takes it, so different users' hashes run side by side. The grain's
/// turn still waits for its own hash (grains are not reentrant), so one user's state is never touched by two
/// sign-ins at once, and login throttling (a grain per email) is unchanged.
/// </remarks>
internal static class PasswordWork
{
    private static readonly PasswordHasher<UserState> Hasher = new();

    public static Task<string> HashAsync(UserState user, string password)
        => OnThreadPool(() => Hasher.HashPassword(user, password));

    public static Task<PasswordVerificationResult> VerifyAsync(UserState user, string password)
    {
        var hash = user.PasswordHash;
        return OnThreadPool(() => Hasher.VerifyHashedPassword(user, hash, password));
    }

    private static Task<T> OnThreadPool<T>(Func<T> work)
        => Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.PreferFairness | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
}
