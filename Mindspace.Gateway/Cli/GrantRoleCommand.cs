using Mindspace.Grains.Interfaces.Auth;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Silo;

namespace Mindspace.Gateway.Cli;

/// <summary>
/// <c>grant-role &lt;email&gt; &lt;role&gt;</c> and <c>revoke-role &lt;email&gt; &lt;role&gt;</c>: change an
/// account's roles from the command line, against the same storage the gateway uses (DATA_DIR or
/// DATABASE_URL, from the environment or <c>--KEY=value</c> arguments after the role). This is how
/// the first admin is made when <c>ADMIN_EMAILS</c> is not used:
/// <code>dotnet run --project Mindspace.Gateway -- grant-role ann@example.com admin</code>
/// The change shows in the user's next access token (next sign-in or refresh).
/// </summary>
/// <remarks>
/// In embedded mode, prefer running it while the gateway is stopped: a running gateway that has
/// the account loaded keeps its old copy (and old roles) until that copy is reloaded, and its next
/// write to the account fails once on the version check before reloading.
/// </remarks>
public static class GrantRoleCommand
{
    public const string GrantCommand = "grant-role";
    public const string RevokeCommand = "revoke-role";
    private const string Actor = "command line";

    /// <returns>The exit code (0 done, 1 no such account, 2 bad usage), or null when <paramref name="args"/> is not this command.</returns>
    public static async Task<int?> TryRunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        if (args.Length == 0 || args[0] is not (GrantCommand or RevokeCommand))
        {
            return null;
        }

        output ??= Console.Out;
        error ??= Console.Error;
        var grant = args[0] == GrantCommand;
        if (args.Length < 3 || args[1].StartsWith('-') || args[2].StartsWith('-'))
        {
            await error.WriteLineAsync($"Usage: {args[0]} <email> <{string.Join("|", UserRoles.Grantable)}> [--DATA_DIR=path | --DATABASE_URL=url]");
            return 2;
        }

        var email = args[1];
        if (UserRoles.NormalizeGrantable(args[2]) is not { } role)
        {
            await error.WriteLineAsync($"'{args[2]}' is not a role that can be {(grant ? "granted" : "revoked")}; use one of: {string.Join(", ", UserRoles.Grantable)}.");
            return 2;
        }

        if (UserRules.ValidateEmail(email) is { } emailError)
        {
            await error.WriteLineAsync(emailError);
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(args[3..]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // In a cluster the command is a client: the silo that holds the user applies the change. In
        // embedded mode it is a short-lived silo of its own on the same SQLite file, on ports of its
        // own so that it never collides with a running gateway's.
        var embedded = string.IsNullOrWhiteSpace(builder.Configuration[SiloSettings.DatabaseUrlKey]);
        if (embedded)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [SiloSettings.SiloPortKey] = FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                [SiloSettings.GatewayPortKey] = FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        }

        builder.AddMindspaceOrleans(embedded ? SiloRole.HostsGrains : SiloRole.ClientOnly);
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            if (await grains.GetGrain<IEmailIndexGrain>(EmailKeys.For(email)).GetUserIdAsync() is not { } userId)
            {
                await error.WriteLineAsync("No account has that email.");
                return 1;
            }

            var user = grains.GetGrain<IUserGrain>(userId);
            var change = new RoleChange(role, Actor, null);
            var result = grant ? await user.GrantRoleAsync(change) : await user.RevokeRoleAsync(change);
            if (!result.Found)
            {
                await error.WriteLineAsync("No account has that email.");
                return 1;
            }

            await output.WriteLineAsync((grant, result.Changed) switch
            {
                (true, true) => $"Granted {role} to user {userId}. It takes effect at their next sign-in or token refresh.",
                (true, false) => $"User {userId} already has {role}.",
                (false, true) => $"Revoked {role} from user {userId}. It takes effect at their next sign-in or token refresh.",
                (false, false) => $"User {userId} does not have {role}.",
            });
            return 0;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
