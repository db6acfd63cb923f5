using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Mindspace.Gateway.Tests.Infrastructure;

/// <summary>
/// Orleans ends the whole process (<c>Environment.FailFast</c>) when a silo learns the cluster declared
/// it dead. This test process hosts many silos; one declared dead on a starved machine would end every
/// test still running (CI saw "Test host process crashed"). Here the error is logged and only that
/// silo's host stops, so the test that owns it fails on its own assertions and the others go on.
/// </summary>
internal sealed partial class StopHostOnFatalError(IHostApplicationLifetime lifetime, ILogger<StopHostOnFatalError> logger) : IFatalErrorHandler
{
    /// <summary>Registers this handler after Orleans' own, so the silo uses it.</summary>
    public static void Register(ISiloBuilder silo) => silo.Services.AddSingleton<IFatalErrorHandler, StopHostOnFatalError>();

    public bool IsUnexpected(Exception exception) => true;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        LogStoppingHost(logger, exception, sender?.GetType().Name, context);
        lifetime.StopApplication();
    }

    [LoggerMessage(LogLevel.Critical, "Fatal error from {Sender}: {Context}. Stopping this test host instead of the test process.")]
    private static partial void LogStoppingHost(ILogger logger, Exception? exception, string? sender, string? context);
}
