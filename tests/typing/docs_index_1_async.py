import asyncio

from revox_async import AsyncRevox


async def main() -> None:
    async with AsyncRevox() as client:
        assistant = await client.assistants.create(
            name="Front desk",
            prompt="You book appointments for a dental clinic.",
            voice={"id": "79a125e8", "provider": "cartesia", "speed": 1.1},
            llm_model={"type": "dedicated-instance", "name": "gpt-4.1"},
        )
        assistant = await client.assistants.update(assistant.id, voicemail_message=None)
        print(assistant.id, assistant.voice)
        print([a.name for a in await client.assistants.list()])
        await client.assistants.delete(assistant.id)


asyncio.run(main())
