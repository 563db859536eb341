import asyncio

from revox_async import AsyncRevox


async def call_ada() -> None:
    async with AsyncRevox() as client:
        assistant = await client.assistants.create(
            name="Reminder", prompt="You remind {{first_name}} of tomorrow's appointment."
        )
        call = await client.calls.create(
            phone_number="+33612345678",
            assistant_id=assistant.id,
            prompt_variables={"first_name": "Ada"},
        )
        done = await client.calls.wait(call.id, timeout=600)  # polls until it ends
        attempt = done.latest_attempt  # None for a call cancelled before any attempt
        print(done.status, attempt.result if attempt else None, done.outcome)
        for turn in done.transcript:
            print(f"{turn.role}: {turn.content}")


asyncio.run(call_ada())
