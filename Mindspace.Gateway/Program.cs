using Mindspace.Gateway.Cli;
using Mindspace.Gateway.Hosting;

if (await GrantRoleCommand.TryRunAsync(args) is { } exitCode)
{
    return exitCode;
}

var app = MindspaceGateway.Build(args);
await app.RunAsync();
return 0;
