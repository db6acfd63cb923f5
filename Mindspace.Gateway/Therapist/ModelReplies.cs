using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Mindspace.Gateway.Therapist.Languages;
using Mindspace.Grains.Interfaces.Safety;
using Mindspace.Grains.Interfaces.Therapist;

namespace Mindspace.Gateway.Therapist;

/// <summary>How a model answer ended.</summary>
public enum ModelOutcome
{
    Completed,
    Failed,
    TimedOut,
    Unsafe,
}

/// <summary>
/// Model replies through <see cref="IChatClient"/> (OllamaSharp in production), streamed a sentence at
/// a time: each sentence is checked with <see cref="ReplySafety"/> (and the whole reply so far) before
/// any of it leaves, so an unsafe reply is never sent — the caller retracts what was sent and the
/// engine answers instead.
/// </summary>
public sealed class ModelReplies(IChatClient client, TherapistSettings settings)
{
    public const string SystemPrompt = """
        You are Mindspace's companion: a warm, steady listener grounded in cognitive behavioural therapy (CBT).
        You are not a therapist or a doctor and you say so if asked. Keep replies short (2 to 5 sentences), plain and kind.
        Reflect what the person feels before anything else. Ask one open question at a time. Gently help them notice
        the link between situations, thoughts, feelings and actions; look for thinking traps (all-or-nothing, catastrophising,
        mind reading, "should" statements) without lecturing; suggest small, concrete steps (behavioural activation),
        grounding (5-4-3-2-1) or slow breathing when it fits. Never diagnose, never prescribe, never judge.
        Never describe ways to hurt oneself, never encourage harm, never dismiss or minimise feelings, never end the conversation.
        If the person mentions wanting to die, hurting themselves or being hurt by someone, ask directly whether they are safe.
        """;

    /// <summary>Streams the model's answer sentence by sentence; the last item says how it ended.</summary>
    public async IAsyncEnumerable<(string? Chunk, ModelOutcome? Outcome, long Tokens)> StreamAsync(ReplyContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var messages = BuildPrompt(context);
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(settings.TotalTimeout);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(total.Token);
        idle.CancelAfter(settings.FirstTokenTimeout);

        var sent = new StringBuilder();
        var pending = new StringBuilder();
        var promptTokens = messages.Sum(m => (long)(m.Text?.Length ?? 0)) / 4;
        IAsyncEnumerator<ChatResponseUpdate>? updates = null;
        ModelOutcome? outcome = null;
        try
        {
            updates = client.GetStreamingResponseAsync(messages, new ChatOptions { Temperature = 0.6f }, idle.Token).GetAsyncEnumerator(idle.Token);
            while (outcome is null)
            {
                bool more;
                try
                {
                    more = await updates.MoveNextAsync();
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    outcome = ModelOutcome.TimedOut;
                    break;
                }
                catch (Exception exception) when (exception is HttpRequestException or IOException or InvalidOperationException or System.Text.Json.JsonException or NotSupportedException)
                {
                    outcome = ModelOutcome.Failed;
                    break;
                }

                if (!more)
                {
                    break;
                }

                idle.CancelAfter(settings.IdleTimeout);
                pending.Append(updates.Current.Text);
                var cut = LastSentenceEnd(pending);
                if (cut <= 0)
                {
                    continue;
                }

                var sentence = pending.ToString(0, cut);
                pending.Remove(0, cut);
                if (Unsafe(sentence) || Unsafe(sent + sentence))
                {
                    outcome = ModelOutcome.Unsafe;
                    break;
                }

                sent.Append(sentence);
                yield return (sentence, null, 0);
            }
        }
        finally
        {
            if (updates is not null)
            {
                try
                {
                    await updates.DisposeAsync();
                }
                catch (Exception exception) when (exception is HttpRequestException or IOException or OperationCanceledException)
                {
                    // The stream was already broken; nothing more to release.
                }
            }
        }

        if (outcome is null)
        {
            var rest = pending.ToString();
            var whole = sent + rest;
            if (whole.Trim().Length == 0)
            {
                outcome = ModelOutcome.Failed;
            }
            else if (ReplySafety.Check(whole) is not null)
            {
                outcome = ModelOutcome.Unsafe;
            }
            else
            {
                if (rest.Length > 0)
                {
                    yield return (rest, null, 0);
                }

                outcome = ModelOutcome.Completed;
            }
        }

        yield return (null, outcome, promptTokens + (sent.Length + pending.Length) / 4);
    }

    /// <summary>A problem other than emptiness: a sentence of only an emoji is not a reason to drop the reply.</summary>
    private static bool Unsafe(string text) => ReplySafety.Check(text) is { } problem && problem != ReplyProblems.Empty;

    private static List<Microsoft.Extensions.AI.ChatMessage> BuildPrompt(ReplyContext context)
    {
        var system = new StringBuilder(SystemPrompt);
        system.Append('\n').Append(LanguageInstruction(context.Catalog));
        if (context.Assessment.Level == RiskLevel.Concern)
        {
            system.Append("\nThe person's last message shows some distress: gently ask how they are and whether they have thoughts of not wanting to live.");
        }

        if (context.Memory.Count > 0)
        {
            system.Append("\nThings this person said in earlier conversations (use only if relevant, never quote them back verbatim):");
            foreach (var memory in context.Memory)
            {
                system.Append("\n- ").Append(memory.Text);
            }
        }

        if (context.JournalMemory is { } journal)
        {
            system.Append("\nThe person allowed you to know what their private journal shows in outline (never its words). ").Append(journal)
                .Append(" Draw on this only gently and only if it helps; never claim to have read their entries.");
        }

        var messages = new List<Microsoft.Extensions.AI.ChatMessage> { new(ChatRole.System, system.ToString()) };
        foreach (var message in context.Window)
        {
            messages.Add(new(message.Role == ChatRoles.User ? ChatRole.User : ChatRole.Assistant, message.Text));
        }

        messages.Add(new(ChatRole.User, context.Text));
        return messages;
    }

    /// <summary>Asks the model to answer in the person's language (the engine, its fallback, answers in it too).</summary>
    public static string LanguageInstruction(CompanionCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Language == SafetyLanguages.English
            ? "The person writes in English: reply in English."
            : $"The person writes in {catalog.EnglishName}: reply only in {catalog.EnglishName}, in the same warm, plain, everyday words a kind person would use, whatever language these instructions are in.";
    }

    /// <summary>The index just after the last sentence end ('.', '!', '?', the Devanagari danda '।', newline followed by a space or newline), or 0.</summary>
    private static int LastSentenceEnd(StringBuilder text)
    {
        for (var i = text.Length - 2; i >= 0; i--)
        {
            if (text[i] is '.' or '!' or '?' or '\u0964' or '\n' && char.IsWhiteSpace(text[i + 1]))
            {
                return i + 2;
            }
        }

        return 0;
    }
}
