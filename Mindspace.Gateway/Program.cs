using Mindspace.Gateway.Cli;
using Mindspace.Gateway.Hosting;
using Mindspace.Silo.Cluster;

if (await GrantRoleCommand.TryRunAsync(args) is { } exitCode)
{
    return exitCode;
}

return await MindspaceGateway.Build(args, configureSilo: silo => silo.ExplainFailedJoins()).RunMemberAsync();
