namespace Mindspace.Grains.Interfaces;

/// <summary>
/// A grain method that writes, but leaves the same state however many times it runs with the same
/// arguments (it sets, removes or clears something named by its arguments; it appends, counts or
/// notifies nothing). <c>RejectedCallRetry</c> may send it again after a loss in flight on a silo that
/// stopped or died, as it does a <see cref="Orleans.Concurrency.ReadOnlyAttribute"/> method; its
/// result may then report "already done" (a second revoke answers false). Never put it on a method
/// whose second run would add, number or send anything twice.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class IdempotentAttribute : Attribute;
