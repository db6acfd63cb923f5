using Mindspace.Grains.Interfaces.Therapist;

namespace Mindspace.Gateway.Therapist;

/// <summary>
/// At start, asks the care queue to enlist holders of <c>care-team</c> granted before it kept its
/// team (once ever; a marker makes later starts a single read). In the background, so start is not
/// held up; if it has not finished when a first item arrives, the queue does it before telling anyone.
/// </summary>
internal sealed partial class CareTeamBackfill(IGrainFactory grains, ILogger<CareTeamBackfill> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _run;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _run = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_run is { } run)
        {
            await run.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            await grains.GetGrain<ICareQueueGrain>(0).BackfillTeamAsync().WaitAsync(_stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Failed(logger, exception);
        }
    }

    [LoggerMessage(EventId = 7105, Level = LogLevel.Warning, Message = "Enlisting earlier care-team holders at start failed; the care queue tries again before its next item")]
    private static partial void Failed(ILogger logger, Exception exception);
}
