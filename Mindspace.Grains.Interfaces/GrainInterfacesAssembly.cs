namespace Mindspace.Grains.Interfaces;

/// <summary>Names this assembly (the contracts) for tests and registration.</summary>
public static class GrainInterfacesAssembly;
