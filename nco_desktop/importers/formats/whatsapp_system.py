"""What WhatsApp writes itself into a chat export: system lines and placeholders.

A system line (the encryption notice, "X changed their phone number", joins, leaves,
who added or removed whom) is written by WhatsApp, not by a person. Android writes it
with no sender (``09/03/2024, 22:15 - Alex added Sam``); iOS writes it under the chat's
name with a left-to-right mark before the text (``[…] Alex: \\u200eAlex added Sam``),
which is why the encryption notice used to be taken for a message from "Alex". It is
kept as an entry (who added whom is evidence) but with no party: it is no one's contact.

The wording follows the phone's language; the phrases below are WhatsApp's published
strings in the languages of :data:`whatsapp_layouts.LAYOUTS`. A line under a sender is a
system line only when it starts with the left-to-right mark iOS puts there, or is the
encryption notice itself, so a person who types "left" is still a person.

Placeholders of a real message stay that person's message, marked: "<Media omitted>"
(the file was left out of the export), "This message was deleted". A missed call under
a caller's name is a missed call from that caller, not a system line.
"""

from __future__ import annotations

import re

from nco_desktop.importers.formats.whatsapp_layouts import MARK_CHARS

_ENCRYPTION = re.compile(
    r"(?:Messages and calls are end-to-end encrypted|Messages (?:you send )?to this "
    r"(?:chat|group) (?:and calls )?are now secured|Nachrichten und Anrufe sind "
    r"Ende-zu-Ende-verschlüsselt|Los mensajes y las llamadas están cifrados de extremo a "
    r"extremo|Les messages et les appels sont chiffrés de bout en bout|As mensagens e as "
    r"chamadas são protegidas com a criptografia de ponta a ponta|I messaggi e le chiamate "
    r"sono crittografati end-to-end|Berichten en oproepen zijn end-to-end versleuteld|"
    r"Сообщения и звонки защищены сквозным шифрованием|Mesajlar ve aramalar uçtan uca "
    r"şifrelidir|メッセージと通話はエンドツーエンドで暗号化されています|消息和通话都进行端到端加密|"
    r"메시지와 통화는 종단간 암호화|الرسائل والمكالمات مشفرة تمامًا)",
    re.IGNORECASE,
)
_SYSTEM = re.compile(
    r".*(?:changed (?:their|his|her) phone number|changed to \+|changed the (?:subject|group)|"
    r"changed this group's|security code (?:with .+ )?changed|created group|joined using|"
    r"\bjoined\b|\bleft\b|\badded\b|\bremoved\b|You were added|blocked this contact|"
    r"unblocked this contact|hat (?:die|seine|ihre) Telefonnummer|ist beigetreten|hat die "
    r"Gruppe verlassen|hinzugefügt|entfernt|cambió (?:su|de) número|se unió|salió|añadió|"
    r"eliminó a|a changé de numéro|a rejoint|est parti|a ajouté|a retiré|mudou (?:seu|de) "
    r"número|entrou|saiu|adicionou|removeu|ha cambiato numero|si è unit|è uscit|ha aggiunto|"
    r"ha rimosso|telefoonnummer gewijzigd|neemt deel|heeft de groep verlaten|toegevoegd|"
    r"verwijderd|сменил[аи]? номер|присоединил|вышел|вышла|добавил|удалил[аи]? |telefon "
    r"numarasını değiştirdi|katıldı|ayrıldı|ekledi|çıkardı).*",
    re.IGNORECASE | re.DOTALL,
)
_DELETED = re.compile(
    r"(?:This message was deleted|You deleted this message|Diese Nachricht wurde gelöscht|"
    r"Du hast diese Nachricht gelöscht|Se eliminó este mensaje|Eliminaste este mensaje|"
    r"Ce message a été supprimé|Vous avez supprimé ce message|Esta mensagem foi apagada|"
    r"Você apagou esta mensagem|Questo messaggio è stato eliminato|Hai eliminato questo "
    r"messaggio|Dit bericht is verwijderd|Je hebt dit bericht verwijderd|Данное сообщение "
    r"удалено|Вы удалили это сообщение|Bu mesaj silindi|Bu mesajı sildiniz|此消息已删除|"
    r"你删除了此消息|このメッセージは削除されました|삭제된 메시지입니다)\.?",
    re.IGNORECASE,
)
#: "You deleted this message": only the phone's owner writes it, under their own name.
_OWN_DELETION = re.compile(
    r"You deleted this message|Du hast diese Nachricht gelöscht|Eliminaste este mensaje|"
    r"Vous avez supprimé ce message|Você apagou esta mensagem|Hai eliminato questo messaggio|"
    r"Je hebt dit bericht verwijderd|Вы удалили это сообщение|Bu mesajı sildiniz|你删除了此消息",
    re.IGNORECASE,
)
OMITTED = re.compile(
    r"<?(?:Media|image|video|audio|sticker|GIF|document|Contact card|Medien|Bild|"
    r"Multimedia|imagen|Médias|Mídia|imagem|immagine|afbeelding|Medya)\s(?:omitted|omitido|"
    r"omis|oculta|ocultada|omessi|omessa|weggelassen|ausgeschlossen|weggelaten|dahil "
    r"edilmedi|absente|omitida)>?\s*|<Без медиафайлов>\s*",
    re.IGNORECASE,
)
_MISSED_CALL = re.compile(
    r"(?:Missed (?P<en>voice|video) call|Verpasster (?:Sprach|Video)anruf|Llamada (?:de voz|"
    r"de video)? ?perdida|Appel (?:vocal|vidéo) manqué|Chamada de (?:voz|vídeo) perdida|"
    r"Chiamata (?:vocale|video) persa|Gemiste (?:spraak|video)oproep|Пропущенный "
    r"(?:аудио|видео)звонок|Cevapsız (?:sesli|görüntülü) arama)(?:, .*)?",
    re.IGNORECASE,
)
#: How the export names the phone's owner as a sender, when it does not use their name.
YOU = frozenset({"You", "you"})


def is_encryption_notice(text: str) -> bool:
    return _ENCRYPTION.match(text.lstrip(MARK_CHARS + " ")) is not None


def is_system(text: str, has_sender: bool) -> bool:
    """A line WhatsApp wrote. *text* follows the sender (iOS) or is the whole line (Android)."""
    if is_encryption_notice(text):
        return True
    if not has_sender:
        return True  # Android writes no sender only on its own lines
    return text.startswith("\u200e") and _SYSTEM.fullmatch(text.lstrip(MARK_CHARS)) is not None


def is_deleted(text: str) -> bool:
    return _DELETED.fullmatch(text.strip(MARK_CHARS + " ")) is not None


def is_own_deletion(text: str) -> bool:
    return _OWN_DELETION.fullmatch(text.strip(MARK_CHARS + " .")) is not None


def is_media_omitted(first_line: str) -> bool:
    return OMITTED.fullmatch(first_line.strip(MARK_CHARS + " ")) is not None


def is_missed_call(text: str) -> bool:
    return _MISSED_CALL.fullmatch(text.strip(MARK_CHARS + " ")) is not None
