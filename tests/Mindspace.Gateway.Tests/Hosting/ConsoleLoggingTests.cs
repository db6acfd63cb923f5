using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Mindspace.Silo;

namespace Mindspace.Gateway.Tests.Hosting;

/// <summary>What a person sees on the console: readable lines in Development, JSON elsewhere, and no line per request anywhere by default.</summary>
public sealed class ConsoleLoggingTests
{
    private const string RequestCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    [Fact]
    public void Development_logs_readable_single_lines_without_a_line_per_request()
    {
        using var services = Build("Development");

        Assert.Equal(ConsoleFormatterNames.Simple, services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        var loggers = services.GetRequiredService<ILoggerFactory>();
        Assert.False(loggers.CreateLogger(RequestCategory).IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger(RequestCategory).IsEnabled(LogLevel.Warning));
        Assert.True(loggers.CreateLogger("Mindspace.Gateway.Auth").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public void Production_logs_json_lines_and_routine_categories_at_warning()
    {
        using var services = Build("Production");

        Assert.Equal(ConsoleFormatterNames.Json, services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        var loggers = services.GetRequiredService<ILoggerFactory>();
        Assert.False(loggers.CreateLogger(RequestCategory).IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger("Orleans.Runtime.Catalog").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Mindspace.Gateway.Auth").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public void An_operator_can_still_turn_request_lines_on()
    {
        using var services = Build("Production", new() { ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information" });

        Assert.True(services.GetRequiredService<ILoggerFactory>().CreateLogger(RequestCategory).IsEnabled(LogLevel.Information));
    }

    private static ServiceProvider Build(string environment, Dictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        ProcessHosting.UseMindspaceLogging(builder);
        return builder.Services.BuildServiceProvider();
    }
}
