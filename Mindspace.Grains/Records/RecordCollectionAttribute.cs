namespace Mindspace.Grains.Records;

/// <summary>
/// Injects an <see cref="IRecordCollection{TRecord}"/> into a grain's constructor: the grain's own
/// rows of the record table <see cref="Table"/>, as <c>[PersistentState]</c> injects state.
/// </summary>
/// <param name="table">The table's name (<see cref="RecordTables.IsValidName"/>); one table per kind of record.</param>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class RecordCollectionAttribute(string table) : Attribute, IFacetMetadata
{
    public string Table { get; } = RecordTables.Require(table);

    /// <summary>
    /// The table's writes are fan-out, awaited by no one in person: the store may hold them a moment to
    /// commit more together (<see cref="IRecordStore.GatherWrites"/>). Leave it off for writes a request
    /// waits on.
    /// </summary>
    public bool GatherWrites { get; init; }
}
