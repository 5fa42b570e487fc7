import {
  SlashCommandBuilder,
  type SlashCommandSubcommandBuilder,
  SlashCommandSubcommandGroupBuilder,
} from "discord.js";
import {
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPutAPIApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import {
  COMMANDS,
  type CommandDeclaration,
  isOn,
  type OptionDeclaration,
  optionsOn,
  ROOT_COMMAND,
  ROOT_DESCRIPTION,
} from "../../../commands/index.js";
import type { SourceInfo } from "../../core/engine.js";
import { shorten } from "../../core/text.js";
import { DISCORD_LIMITS as L } from "./limits.js";

/**
 * The registration body, derived from the one declaration in `commands/`: a single `/karpathy` command
 * with a subcommand per declaration (inside its subcommand group, if it has one). Integer options are
 * Discord integers with their bounds; everything else is a string. Options that autocomplete do; the
 * source option offers the corpus's sources as choices (Discord forbids both on one option).
 */
export function commandsBody(
  sources: readonly SourceInfo[],
  commands: readonly CommandDeclaration[] = COMMANDS,
): RESTPutAPIApplicationCommandsJSONBody {
  const root = new SlashCommandBuilder()
    .setName(ROOT_COMMAND)
    .setDescription(shorten(ROOT_DESCRIPTION, L.commandDescription))
    // Installable to a server and to a user's account ("Add to My Apps"), usable in servers, DMs with
    // the bot and group DMs: every answer goes through the interaction, so the bot need not be there.
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall)
    .setContexts(
      InteractionContextType.Guild,
      InteractionContextType.BotDM,
      InteractionContextType.PrivateChannel,
    );
  const groups = new Map<string, SlashCommandSubcommandGroupBuilder>();
  for (const command of commands.filter((c) => isOn(c, "discord"))) {
    const fill = (sub: SlashCommandSubcommandBuilder) => {
      sub.setName(command.name).setDescription(shorten(command.description, L.commandDescription));
      // Discord wants required options first; the declaration's order otherwise.
      const options = optionsOn(command, "discord").sort(
        ([, a], [, b]) => Number(b.required) - Number(a.required),
      );
      for (const [name, option] of options) addOption(sub, name, option, sources);
      return sub;
    };
    const { group } = command;
    if (!group) {
      root.addSubcommand(fill);
      continue;
    }
    let builder = groups.get(group.name);
    if (!builder) {
      builder = new SlashCommandSubcommandGroupBuilder()
        .setName(group.name)
        .setDescription(shorten(group.description, L.commandDescription));
      groups.set(group.name, builder);
      root.addSubcommandGroup(builder);
    }
    builder.addSubcommand(fill);
  }
  return [root.toJSON()];
}

function addOption(
  sub: SlashCommandSubcommandBuilder,
  name: string,
  option: OptionDeclaration,
  sources: readonly SourceInfo[],
): void {
  if (option.autocomplete && option.sourceChoice)
    throw new Error(`Discord: option "${name}" cannot both autocomplete and offer choices`);
  const description = shorten(option.description, L.commandDescription);
  if (option.kind === "integer") {
    sub.addIntegerOption((o) => {
      o.setName(name).setDescription(description).setRequired(option.required);
      if (option.min !== undefined) o.setMinValue(option.min);
      if (option.max !== undefined) o.setMaxValue(option.max);
      return o;
    });
    return;
  }
  sub.addStringOption((o) => {
    o.setName(name).setDescription(description).setRequired(option.required);
    if (option.maxLength !== undefined) o.setMaxLength(option.maxLength);
    if (option.autocomplete) o.setAutocomplete(true);
    else if (option.sourceChoice)
      o.addChoices(
        ...sources.slice(0, L.choices).map((s) => ({
          name: shorten(s.title, L.choiceName),
          value: s.id,
        })),
      );
    return o;
  });
}
