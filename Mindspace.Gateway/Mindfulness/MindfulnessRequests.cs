namespace Mindspace.Gateway.Mindfulness;

/// <summary>Body of <c>POST /api/v1/mindfulness/sessions</c>.</summary>
/// <param name="Kind"><c>meditation</c>, <c>yoga</c> or <c>challenge</c>.</param>
/// <param name="ItemId">The id of the meditation, pose or challenge.</param>
/// <param name="Minutes">Whole minutes, 1–240.</param>
/// <param name="CompletedAt">When it ended (ISO 8601; read as UTC without an offset); now when absent.</param>
public sealed record LogSessionRequest(string? Kind, string? ItemId, int? Minutes, string? CompletedAt);
