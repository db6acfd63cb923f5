namespace Mindspace.Gateway.Privacy;

/// <summary>
/// One module's share of what Mindspace holds about a person: it appears under <see cref="Name"/> in
/// <c>GET /api/v1/me/export</c> and is erased by <c>DELETE /api/v1/me</c> before the account itself.
/// </summary>
/// <param name="Name">The section's property in the export document (camelCase, unique).</param>
/// <param name="Export">Everything the module holds about the user, as the export shows it.</param>
/// <param name="Erase">Erases it; must be safe to run again after a failure midway.</param>
public sealed record PersonalDataSection(
    string Name,
    Func<IGrainFactory, Guid, Task<object>> Export,
    Func<IGrainFactory, Guid, Task> Erase);
