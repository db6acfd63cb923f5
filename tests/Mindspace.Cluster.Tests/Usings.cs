global using Orleans;
global using Orleans.Hosting;
global using Orleans.Runtime;
global using Xunit;
global using Xunit.Abstractions;
