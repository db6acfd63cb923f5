global using Xunit;
global using static Mindspace.Gateway.Tests.Infrastructure.HttpJson;
