using Xunit.Abstractions;

namespace Mindspace.Gateway.Tests.Infrastructure;

/// <summary>
/// Notes where each process's <see cref="CapturedLogs"/> stand when a test begins and, when the test class is
/// disposed, writes what each logged since to the test's output: a failing run then says what the cluster saw
/// (a lost connection, a timed-out call), not only the status a request got.
/// </summary>
public sealed class LogWatch : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly (string Process, CapturedLogs Logs, int Mark)[] _watched;

    public LogWatch(ITestOutputHelper output, params (string Process, CapturedLogs Logs)[] processes)
    {
        _output = output;
        _watched = processes.Select(p => (p.Process, p.Logs, p.Logs.Lines.Count)).ToArray();
    }

    public void Dispose()
    {
        foreach (var (process, logs, mark) in _watched)
        {
            foreach (var line in logs.Since(mark))
            {
                _output.WriteLine($"{process}: {line}");
            }
        }
    }
}
