namespace Mindspace.Runtime;

/// <summary>
/// Lets calls interleave on this grain: a new call may start while another awaits.
/// Still one thread at a time per activation. Without it, calls run strictly one after another.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ReentrantAttribute : Attribute
{
}

/// <summary>
/// Names a grain interface's type in grain ids (and so in storage). Without it the name is the
/// interface name without the leading "I" and trailing "Grain", in lower case
/// (<c>IUserGrain</c> → <c>user</c>). Renaming an interface that stores state needs this attribute
/// to keep the old name.
/// </summary>
[AttributeUsage(AttributeTargets.Interface)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>
/// On a grain constructor parameter of type <see cref="IPersistentState{TState}"/>: which named state it is.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName) : Attribute
{
    public string StateName { get; } = stateName;
}

/// <summary>
/// On a grain constructor parameter of type <see cref="IRecordCollection{TRecord}"/>: which collection it is.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class RecordCollectionAttribute(string collectionName) : Attribute
{
    public string CollectionName { get; } = collectionName;
}
