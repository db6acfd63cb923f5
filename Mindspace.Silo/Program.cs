using Mindspace.Silo;
using Mindspace.Silo.Cluster;

return await MindspaceSilo.Build(args, configureSilo: silo => silo.ExplainFailedJoins()).RunMemberAsync();
