using Mindspace.Silo;

await MindspaceSilo.Build(args).RunAsync();
