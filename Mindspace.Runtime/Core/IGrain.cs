namespace Mindspace.Runtime;

/// <summary>Marker for grain interfaces. Every method returns <see cref="Task"/> or <see cref="Task{TResult}"/>.</summary>
public interface IGrain
{
}

/// <summary>A grain addressed by a <see cref="Guid"/>.</summary>
public interface IGrainWithGuidKey : IGrain
{
}

/// <summary>A grain addressed by a string.</summary>
public interface IGrainWithStringKey : IGrain
{
}

/// <summary>Anything that can be asked for its grain identity (grain references and grains).</summary>
public interface IAddressable
{
    GrainId GrainId { get; }
}
