using Mindspace.Gateway.Cli;
using Mindspace.Gateway.Hosting;
using Mindspace.Silo.Cluster;

if (await GrantRoleCommand.TryRunAsync(args) is { } exitCode)
{
    return exitCode;
}

if (await Mindspace.Gateway.Journal.RotateMasterKeyCommand.TryRunAsync(args) is { } rotateExitCode)
{
    return rotateExitCode;
}

return await MindspaceGateway.Build(args, configureSilo: silo => silo.ExplainFailedJoins()).RunMemberAsync();
