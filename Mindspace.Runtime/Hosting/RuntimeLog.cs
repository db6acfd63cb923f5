using Microsoft.Extensions.Logging;

namespace Mindspace.Runtime;

/// <summary>Every log message of the runtime, with stable event ids.</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(1001, LogLevel.Error, "Activation of {GrainId} failed")]
    public static partial void ActivationFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(1002, LogLevel.Debug, "Deactivated {GrainId} ({Reason})")]
    public static partial void Deactivated(ILogger logger, GrainId grainId, DeactivationReason reason);

    [LoggerMessage(1003, LogLevel.Warning, "OnDeactivateAsync of {GrainId} failed")]
    public static partial void DeactivationFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(1004, LogLevel.Error, "A timer callback of {GrainId} failed")]
    public static partial void TimerFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(1101, LogLevel.Error, "Reminder {ReminderName} of {GrainId} failed; it stays registered")]
    public static partial void ReminderFailed(ILogger logger, Exception exception, GrainId grainId, string reminderName);

    [LoggerMessage(1102, LogLevel.Error, "Reading due reminders failed")]
    public static partial void ReminderPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(1201, LogLevel.Warning, "Subscription to stream {StreamId} ended: its handler failed")]
    public static partial void StreamHandlerFailed(ILogger logger, Exception exception, Streams.StreamId streamId);

    [LoggerMessage(1202, LogLevel.Warning, "Reading stream {StreamId} failed; retrying")]
    public static partial void StreamReadFailed(ILogger logger, Exception exception, Streams.StreamId streamId);

    [LoggerMessage(1301, LogLevel.Information, "Idle collection deactivated {Count} activations")]
    public static partial void IdleCollected(ILogger logger, int count);

    [LoggerMessage(1302, LogLevel.Information, "Grain runtime started on {Storage} storage with {GrainTypes} grain types")]
    public static partial void Started(ILogger logger, string storage, int grainTypes);

    [LoggerMessage(1303, LogLevel.Information, "Grain runtime stopping: deactivating {Count} activations")]
    public static partial void Stopping(ILogger logger, int count);
}
