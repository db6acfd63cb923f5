using System.Text;
using Mindspace.Runtime.Cluster.Transport;
using Mindspace.Runtime.Messaging;

namespace Mindspace.Runtime.Tests.Cluster.Transport;

public sealed class RoundTripTests : IAsyncLifetime
{
    private readonly TestCallHandler _handler = new();
    private TransportTestServer _server = null!;
    private SiloConnectionPool _pool = null!;

    public async Task InitializeAsync()
    {
        _server = await TransportTestServer.StartAsync(_handler, TransportTests.Options(maxFrameBytes: 8 * 1024 * 1024));
        _pool = new SiloConnectionPool(TransportTests.Options(maxFrameBytes: 8 * 1024 * 1024));
    }

    public async Task DisposeAsync()
    {
        await _pool.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Every_field_of_a_request_arrives_intact_and_the_result_comes_back()
    {
        var deadline = new DateTimeOffset(DateTime.UtcNow.AddMinutes(1).Ticks + 7, TimeSpan.Zero).ToOffset(TimeSpan.FromHours(2));
        var request = new GrainRequest(
            new GrainId("journal", "ключ/🔑 with spaces"),
            "Mindspace.Grains.IJournalGrain",
            "AddEntryAsync(String,DateTimeOffset)",
            [0, 1, 2, 255, 254, 0],
            deadline,
            [new GrainId("user", "42"), new GrainId("session", "ß-ü-€")]);
        _handler.Answer((_, _) => Task.FromResult(new GrainResponse([9, 8, 7], null)));

        var response = await _pool.SendAsync(_server.Address, request, CancellationToken.None);

        var received = Assert.Single(_handler.Received);
        Assert.Equal(request.Target, received.Target);
        Assert.Equal(request.InterfaceName, received.InterfaceName);
        Assert.Equal(request.MethodKey, received.MethodKey);
        Assert.Equal(request.Arguments, received.Arguments);
        Assert.Equal(request.CallChain, received.CallChain);
        Assert.Equal(deadline.UtcTicks, received.Deadline.UtcTicks);
        Assert.Equal(TimeSpan.Zero, received.Deadline.Offset);
        Assert.Equal([9, 8, 7], response.Result);
        Assert.Null(response.Exception);
        Assert.False(response.IsNotOwner);
    }

    [Fact]
    public async Task An_empty_chain_and_empty_arguments_stay_empty()
    {
        await _pool.SendAsync(_server.Address, TransportTests.Request("empty", arguments: []), CancellationToken.None);

        var received = Assert.Single(_handler.Received);
        Assert.Empty(received.Arguments);
        Assert.Empty(received.CallChain);
    }

    [Fact]
    public async Task A_null_result_and_an_empty_result_stay_distinct()
    {
        _handler.Answer((request, _) => Task.FromResult(request.Target.Key == "null" ? GrainResponse.Completed : new GrainResponse([], null)));

        var none = await _pool.SendAsync(_server.Address, TransportTests.Request("null"), CancellationToken.None);
        var empty = await _pool.SendAsync(_server.Address, TransportTests.Request("empty"), CancellationToken.None);

        Assert.Null(none.Result);
        Assert.Null(none.Exception);
        Assert.NotNull(empty.Result);
        Assert.Empty(empty.Result);
    }

    [Fact]
    public async Task A_failed_response_carries_the_exception_type_and_message()
    {
        _handler.Answer((_, _) => Task.FromResult(GrainResponse.Failed(new ArgumentException("no good"))));

        var response = await _pool.SendAsync(_server.Address, TransportTests.Request("fails"), CancellationToken.None);

        Assert.Null(response.Result);
        var exception = Assert.IsType<ArgumentException>(ExceptionCodec.Decode(response.Exception!));
        Assert.Equal("no good", exception.Message);
    }

    [Fact]
    public async Task A_handler_that_throws_becomes_a_failed_response_and_the_connection_keeps_serving()
    {
        _handler.Answer((request, _) => request.Target.Key == "throws"
            ? throw new InvalidOperationException("handler blew up")
            : Task.FromResult(new GrainResponse(request.Arguments, null)));

        var failed = await _pool.SendAsync(_server.Address, TransportTests.Request("throws"), CancellationToken.None);
        var next = await _pool.SendAsync(_server.Address, TransportTests.Request("after"), CancellationToken.None);

        var exception = Assert.IsType<InvalidOperationException>(ExceptionCodec.Decode(failed.Exception!));
        Assert.Equal("handler blew up", exception.Message);
        Assert.Equal("after", TransportTests.Text(next));
        Assert.Equal(1, _server.ConnectionCount);
    }

    [Fact]
    public async Task Not_owner_comes_back_as_not_owner()
    {
        _handler.Answer((_, _) => Task.FromResult(GrainResponse.NotOwner));

        var response = await _pool.SendAsync(_server.Address, TransportTests.Request("elsewhere"), CancellationToken.None);

        Assert.True(response.IsNotOwner);
        Assert.Null(response.Exception);
    }

    [Fact]
    public async Task Megabyte_arguments_and_results_cross_intact_in_both_directions()
    {
        var arguments = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(arguments);
        var reversed = Reversed(arguments);
        _handler.Answer((request, _) => Task.FromResult(new GrainResponse(Reversed(request.Arguments), null)));

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            _pool.SendAsync(_server.Address, TransportTests.Request("big", arguments), CancellationToken.None)));

        Assert.Equal(3, _handler.CallCount);
        Assert.All(_handler.Received, received => Assert.True(arguments.AsSpan().SequenceEqual(received.Arguments), "arguments changed on the way"));
        Assert.All(responses, response => Assert.True(reversed.AsSpan().SequenceEqual(response.Result), "result changed on the way"));
    }

    [Fact]
    public async Task A_request_over_the_frame_limit_is_refused_before_sending_and_the_connection_stays_usable()
    {
        var tooBig = new byte[8 * 1024 * 1024];

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(
            () => _pool.SendAsync(_server.Address, TransportTests.Request("huge", tooBig), CancellationToken.None));
        var next = await _pool.SendAsync(_server.Address, TransportTests.Request("fine"), CancellationToken.None);

        Assert.Contains("frame limit", exception.Message);
        Assert.Equal("fine", TransportTests.Text(next));
        Assert.Equal(1, _handler.CallCount);
    }

    [Fact]
    public async Task A_result_over_the_frame_limit_comes_back_as_a_failure_and_the_connection_stays_usable()
    {
        _handler.Answer((request, _) => Task.FromResult(new GrainResponse(
            request.Target.Key == "huge" ? new byte[8 * 1024 * 1024] : request.Arguments, null)));

        var failed = await _pool.SendAsync(_server.Address, TransportTests.Request("huge"), CancellationToken.None);
        var next = await _pool.SendAsync(_server.Address, TransportTests.Request("fine"), CancellationToken.None);

        var exception = Assert.IsType<InvalidOperationException>(ExceptionCodec.Decode(failed.Exception!));
        Assert.Contains("frame limit", exception.Message);
        Assert.Equal("fine", TransportTests.Text(next));
        Assert.Equal(1, _server.ConnectionCount);
    }

    [Fact]
    public async Task Unicode_in_exception_messages_survives()
    {
        _handler.Answer((_, _) => Task.FromResult(GrainResponse.Failed(new InvalidOperationException("ошибка — 失败 🙈"))));

        var response = await _pool.SendAsync(_server.Address, TransportTests.Request("unicode"), CancellationToken.None);

        Assert.Equal("ошибка — 失败 🙈", response.Exception!.Message);
        Assert.Equal(Encoding.UTF8.GetBytes("unicode"), Assert.Single(_handler.Received).Arguments);
    }

    private static byte[] Reversed(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        Array.Reverse(copy);
        return copy;
    }
}
