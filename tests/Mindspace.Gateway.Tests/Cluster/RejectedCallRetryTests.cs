using System.Reflection;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Silo.Cluster;
using Orleans.Concurrency;

namespace Mindspace.Gateway.Tests.Cluster;

/// <summary>
/// Which refusals the outgoing filter sends again: only those that prove no grain ran the call.
/// The wording is Orleans 10.4.2's own; a change in it makes the stop-under-load test fail, and this one says why.
/// </summary>
public sealed class RejectedCallRetryTests
{
    [Fact]
    public void The_stopping_placement_service_refusal_is_a_refusal()
    {
        var refusal = new SiloUnavailableException("Silo 'S127.0.0.1:29868:155160771' is shutting down.");

        Assert.True(RejectedCallRetry.IsRefusedByStoppingSilo(refusal));
    }

    [Theory]
    [InlineData("The target silo became unavailable for message: Request S1->S2 #42. See https://aka.ms/orleans-troubleshooting for troubleshooting help.")]
    [InlineData("The local Orleans host is shutting down and can no longer process the request: Request S1->S2 #42.")]
    [InlineData("Silo S127.0.0.1:1:1 is no longer active")]
    public void A_call_lost_in_flight_is_not_taken_for_a_refusal(string message)
    {
        Assert.False(RejectedCallRetry.IsRefusedByStoppingSilo(new SiloUnavailableException(message)));
    }

    [Fact]
    public void Only_methods_marked_read_only_are_sent_again_after_a_loss_in_flight()
    {
        Assert.NotNull(typeof(IUserGrain).GetMethod(nameof(IUserGrain.GetProfileAsync))!.GetCustomAttribute<ReadOnlyAttribute>());
        Assert.Null(typeof(IUserGrain).GetMethod(nameof(IUserGrain.UpdateProfileAsync))!.GetCustomAttribute<ReadOnlyAttribute>());
    }
}
