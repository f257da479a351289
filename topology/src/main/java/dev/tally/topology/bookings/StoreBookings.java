package dev.tally.topology.bookings;

import dev.tally.topology.engine.TimeKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A resource's state in four stores. Keys start with the resource id and '|', which ids cannot hold. Slot
 * keys end in the slot's start as 16 hex digits with the sign bit flipped, so that text order is time
 * order (before 1970 too) and one range reads a resource's slots in time order.
 */
public final class StoreBookings implements BookingRecords {

    private static final char SEPARATOR = '|';

    private final KeyValueStore<String, ResourceState> resources;
    private final KeyValueStore<String, BookingState> bookings;
    private final KeyValueStore<String, String> externalIds;
    private final KeyValueStore<String, Long> slots;

    public StoreBookings(KeyValueStore<String, ResourceState> resources, KeyValueStore<String, BookingState> bookings,
                         KeyValueStore<String, String> externalIds, KeyValueStore<String, Long> slots) {
        this.resources = resources;
        this.bookings = bookings;
        this.externalIds = externalIds;
        this.slots = slots;
    }

    @Override
    public ResourceState resource(String resource) {
        return resources.get(resource);
    }

    @Override
    public void putResource(String resource, ResourceState state) {
        resources.put(resource, state);
    }

    @Override
    public BookingState booking(String resource, String bookingId) {
        return bookings.get(resource + SEPARATOR + bookingId);
    }

    @Override
    public void putBooking(String resource, String bookingId, BookingState state) {
        bookings.put(resource + SEPARATOR + bookingId, state);
    }

    @Override
    public String bookingIdOf(String resource, String externalId) {
        return externalIds.get(resource + SEPARATOR + externalId);
    }

    @Override
    public void putExternalId(String resource, String externalId, String bookingId) {
        externalIds.put(resource + SEPARATOR + externalId, bookingId);
    }

    @Override
    public void deleteExternalId(String resource, String externalId) {
        externalIds.delete(resource + SEPARATOR + externalId);
    }

    @Override
    public long used(String resource, Instant slotStart) {
        Long used = slots.get(slotKey(resource, slotStart));
        return used == null ? 0 : used;
    }

    @Override
    public void putUsed(String resource, Instant slotStart, long used) {
        if (used == 0) {
            slots.delete(slotKey(resource, slotStart)); // an empty slot takes no room
        } else {
            slots.put(slotKey(resource, slotStart), used);
        }
    }

    @Override
    public List<Slot> bookedSlots(String resource, int max) {
        List<Slot> booked = new ArrayList<>();
        // '}' follows every hex digit and '|'-free id character in text order: the range is this resource's.
        try (KeyValueIterator<String, Long> inOrder = slots.range(resource + SEPARATOR, resource + SEPARATOR + '}')) {
            while (inOrder.hasNext() && booked.size() < max) {
                KeyValue<String, Long> next = inOrder.next();
                long startMs = TimeKeys.decode(next.key, next.key.length() - TimeKeys.LENGTH);
                booked.add(new Slot(Instant.ofEpochMilli(startMs), next.value));
            }
        }
        return booked;
    }

    static String slotKey(String resource, Instant slotStart) {
        return resource + SEPARATOR + TimeKeys.encode(slotStart.toEpochMilli());
    }
}
