using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Mindspace.Gateway.Tests.Infrastructure;

/// <summary>
/// Keeps every log line a test host writes (the UTC time, message, state values and exception), to check what
/// never appears in logs, and to show what a host logged while a test ran (<see cref="Since"/>).
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>The lines logged after the first <paramref name="count"/> (a <see cref="Lines"/> count read earlier).</summary>
    public IEnumerable<string> Since(int count) => _lines.Skip(count);

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            lines.Enqueue($"{Now()} {category} scope: {Describe(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => lines.Enqueue($"{Now()} {category} [{logLevel}] {formatter(state, exception)} {Describe(state)} {exception}");

        private static string Now() => DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

        private static string Describe(object? state)
            => state is IEnumerable<KeyValuePair<string, object?>> values
                ? string.Join(", ", values.Select(pair => $"{pair.Key}={pair.Value}"))
                : state?.ToString() ?? string.Empty;
    }
}
