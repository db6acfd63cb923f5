using Orleans.Concurrency;

namespace Mindspace.Grains.Interfaces.Journal;

/// <summary>
/// One user's private journal: entries, drafts and an in-memory search index. Keyed by the user id,
/// so another user's ids are simply not found here.
/// </summary>
/// <remarks>
/// Titles, bodies and thought records are sealed at rest (AES-GCM under the user's own data key,
/// itself wrapped by the service's master key) and never appear in logs or exception messages.
/// Content passed in is validated again with <see cref="JournalRules"/>; callers validate first.
/// </remarks>
[Alias("ms.journal.IJournalGrain")]
public interface IJournalGrain : IGrainWithGuidKey
{
    /// <summary>Adds an entry; when <paramref name="fromDraft"/> names a draft, that draft is removed after the entry is stored.</summary>
    /// <exception cref="ArgumentException">The content breaks <see cref="JournalRules"/>.</exception>
    [Alias("create")]
    Task<JournalEntryView> CreateAsync(JournalContent content, Guid? fromDraft);

    /// <returns>The entry (marked <see cref="JournalEntryView.Unreadable"/> when its text fails its check), or null when there is none with that id.</returns>
    [Alias("get")]
    Task<JournalEntryView?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Entries newest first, a page at a time.</summary>
    [Alias("list")]
    Task<JournalPage> ListAsync(JournalQuery query, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="patch"/>; when the result would break <see cref="JournalRules"/> nothing changes and the errors come back.</summary>
    [Alias("update")]
    Task<JournalChange> UpdateAsync(Guid id, JournalPatch patch);

    /// <returns>Whether an entry was deleted.</returns>
    [Alias("delete")]
    Task<bool> DeleteAsync(Guid id);

    /// <summary>Ranked search (BM25) of titles, bodies and thought records; accents and case are ignored, the last word may be a prefix.</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("search")]
    Task<JournalSearchPage> SearchAsync(JournalSearch search, CancellationToken cancellationToken);

    /// <summary>Creates or replaces a draft (lenient: nothing is required, limits still apply).</summary>
    /// <returns>The saved draft, or null when the user already has <see cref="JournalRules.MaxDrafts"/> other drafts.</returns>
    [Alias("save-draft")]
    Task<JournalDraftView?> SaveDraftAsync(Guid id, JournalContent content);

    [Alias("get-draft")]
    Task<JournalDraftView?> GetDraftAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Every draft, most recently saved first (there are at most <see cref="JournalRules.MaxDrafts"/>).</summary>
    [Alias("list-drafts")]
    Task<IReadOnlyList<JournalDraftView>> ListDraftsAsync(CancellationToken cancellationToken);

    [Alias("delete-draft")]
    Task<bool> DeleteDraftAsync(Guid id);

    /// <summary>
    /// For analytics: per entry created in [<paramref name="from"/>, <paramref name="to"/>), oldest
    /// first, only non-text signals (time, kind, own mood, VADER compound, tags). Reads no ciphertext.
    /// </summary>
    [ReadOnly]
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("signals")]
    Task<IReadOnlyList<JournalSignal>> GetSignalsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Moods of the entries written since <paramref name="since"/>, for choosing prompts.</summary>
    [Alias("recent-mood")]
    Task<RecentMood> GetRecentMoodAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Every entry and draft, decrypted, oldest first.</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("export")]
    Task<JournalExport> ExportAsync();

    /// <summary>Destroys the user's data key first (so any copy of their rows can never be read again), then removes every entry and draft.</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("erase")]
    Task EraseAsync();
}
