namespace Mindspace.Grains;

/// <summary>
/// Marks a grain field that only caches what stored state already says, and is assigned whole (a
/// value computed first, then stored in one assignment). A read-only grain method may fill it:
/// two read-only calls that interleave compute the same value, and the writes that change the stored
/// state (never interleaved with reads) reset it. <c>ReadOnlyMethodTests</c> allows stores to these
/// fields only; a field that holds anything else — a queued refresh, a counter — must not carry it.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class ReadCacheAttribute : Attribute;
