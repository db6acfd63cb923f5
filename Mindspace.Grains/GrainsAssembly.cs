namespace Mindspace.Grains;

/// <summary>Names this assembly for grain registration.</summary>
public static class GrainsAssembly;
