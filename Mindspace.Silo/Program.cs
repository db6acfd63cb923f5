using Microsoft.Extensions.Hosting;
using Mindspace.Silo;

// A silo on its own. The cluster issue gives it an internal port; until then the gateway hosts the silo in-process.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddMindspaceSilo(builder.Configuration);
await builder.Build().RunAsync();
