using System.Reflection;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Silo.Cluster;
using Mindspace.Testing;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;

namespace Mindspace.Gateway.Tests.Cluster;

/// <summary>
/// What a gateway-only process does with its calls in flight when a connection to a silo closes
/// (<see cref="SiloLossCutoff"/>): those still unanswered after the grace are given up on (sent again
/// when safe to run twice), and nothing else is touched. The SIGKILL test in
/// <see cref="NotificationFailoverTests"/> shows the effect end to end.
/// </summary>
public sealed class SiloLossCutoffTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static readonly MethodInfo Append = typeof(INotificationInboxGrain).GetMethod(nameof(INotificationInboxGrain.AppendAsync))!;
    private static readonly MethodInfo ReadProfile = typeof(IUserGrain).GetMethod(nameof(IUserGrain.GetProfileAsync))!;
    private static readonly MethodInfo Export = typeof(INotificationInboxGrain).GetMethod(nameof(INotificationInboxGrain.ExportAsync))!;

    [Fact]
    public async Task A_write_in_flight_when_a_connection_closes_fails_after_the_grace_instead_of_the_response_timeout()
    {
        var cutoff = new SiloLossCutoff(Grace, Window);
        var call = new FakeCall(Append);
        var invoking = cutoff.Invoke(call);

        cutoff.OnGatewayCountChanged(null, new GatewayCountChangedEventArgs(1, 2));

        var failure = await Assert.ThrowsAsync<TimeoutException>(() => invoking.WaitAsync(Wait));
        Assert.Contains("may have run", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, call.Sends); // a write is never sent twice on a guess
        Assert.Equal(1, cutoff.Abandoned);
    }

    [Fact]
    public async Task A_read_in_flight_when_a_connection_closes_is_sent_again_and_its_answer_returned()
    {
        var cutoff = new SiloLossCutoff(Grace, Window);
        var call = new FakeCall(ReadProfile);
        var invoking = cutoff.Invoke(call);

        cutoff.OnConnectionLost();
        await Eventually.TrueAsync(() => call.Sends == 2, "the read sent again");
        call.Answer(1);

        await invoking.WaitAsync(Wait);
        Assert.Equal(1, cutoff.Abandoned);
    }

    [Fact]
    public async Task A_call_answered_within_the_grace_succeeds()
    {
        var cutoff = new SiloLossCutoff(TimeSpan.FromSeconds(30), Window);
        var call = new FakeCall(Append);
        var invoking = cutoff.Invoke(call);

        cutoff.OnConnectionLost();
        call.Answer(0);

        await invoking.WaitAsync(Wait);
        Assert.Equal(0, cutoff.Abandoned);
    }

    [Fact]
    public async Task A_call_begun_after_the_window_is_not_cut_off_by_that_loss()
    {
        var cutoff = new SiloLossCutoff(Grace, Window);
        var before = new FakeCall(Append);
        var cut = cutoff.Invoke(before);
        cutoff.OnConnectionLost();
        await Assert.ThrowsAsync<TimeoutException>(() => cut.WaitAsync(Wait)); // the grace has passed, so the window has too

        var after = new FakeCall(Append);
        var invoking = cutoff.Invoke(after);
        await Task.Delay(Grace * 2);
        Assert.False(invoking.IsCompleted);
        after.Answer(0);

        await invoking.WaitAsync(Wait);
        Assert.Equal(1, cutoff.Abandoned);
    }

    [Fact]
    public async Task More_gateways_than_before_and_methods_with_their_own_timeout_are_left_alone()
    {
        var cutoff = new SiloLossCutoff(Grace, Window);
        var export = new FakeCall(Export);
        var write = new FakeCall(Append);
        var exporting = cutoff.Invoke(export);
        var writing = cutoff.Invoke(write);

        cutoff.OnGatewayCountChanged(null, new GatewayCountChangedEventArgs(3, 2)); // a connection opened
        await Task.Delay(Grace * 2);
        Assert.False(writing.IsCompleted);

        cutoff.OnConnectionLost();
        await Assert.ThrowsAsync<TimeoutException>(() => writing.WaitAsync(Wait));
        Assert.False(exporting.IsCompleted);
        export.Answer(0);
        await exporting.WaitAsync(Wait);
        Assert.Equal(1, cutoff.Losses);
    }

    /// <summary>A grain call whose answers the test gives: each send waits for its own answer.</summary>
    private sealed class FakeCall(MethodInfo method) : IOutgoingGrainCallContext
    {
        private readonly List<TaskCompletionSource> _sends = [];

        public int Sends
        {
            get
            {
                lock (_sends)
                {
                    return _sends.Count;
                }
            }
        }

        public IGrainContext? SourceContext => null;

        public object Grain => throw new NotSupportedException();

        public MethodInfo InterfaceMethod => method;

        public string InterfaceName => method.DeclaringType!.Name;

        public GrainInterfaceType InterfaceType => default;

        public string MethodName => method.Name;

        public IInvokable Request => throw new NotSupportedException();

        public Response? Response { get; set; }

        public object? Result { get; set; }

        public GrainId? SourceId => null;

        public GrainId TargetId => default;

        /// <summary>Answers send number <paramref name="send"/> (from 0).</summary>
        public void Answer(int send)
        {
            lock (_sends)
            {
                _sends[send].SetResult();
            }
        }

        public Task Invoke()
        {
            var send = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_sends)
            {
                _sends.Add(send);
            }

            return send.Task;
        }
    }
}
