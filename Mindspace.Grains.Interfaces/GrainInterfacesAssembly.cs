namespace Mindspace.Grains.Interfaces;

/// <summary>Names this assembly for contract registration.</summary>
public static class GrainInterfacesAssembly;
